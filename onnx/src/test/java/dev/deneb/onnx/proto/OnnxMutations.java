package dev.deneb.onnx.proto;

import dev.deneb.fuzz.Mutations;
import dev.deneb.fuzz.Mutations.Case;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Seeded mutations of encoded models: every case is reproducible from the seed and its name. */
final class OnnxMutations {
    /** Edge values for varints: huge lengths (2 GB, 4 GB, 2^63, 2^64 - 1), negatives, off by one. */
    private static final long[] EDGES = {0, 1, 127, 128, Integer.MAX_VALUE, 1L << 31, 0xFFFFFFFFL, 1L << 32,
        Long.MAX_VALUE, Long.MIN_VALUE, -1, (1L << 31) - 9};

    /** Bytes that mean something on the wire: zero, all ones, a varint's continuation bit, common tags. */
    private static final byte[] WIRE_EDGES = {0, -1, 0x7f, (byte) 0x80, 0x0a, 0x3a, 0x08, 0x0b, 0x0c};

    private final Random random;
    private final Mutations common;

    OnnxMutations(long seed) {
        this.random = new Random(seed);
        this.common = new Mutations(seed + 1);
    }

    /** Every case for the seeds: about 4,000. */
    List<Case> all(List<Object[]> seeds) {
        List<Case> out = new ArrayList<>();
        for (Object[] s : seeds) {
            String name = (String) s[0];
            byte[] b = (byte[]) s[1];
            out.add(new Case(name, b));
            out.addAll(common.truncations(name, b, 150));
            out.addAll(common.bitFlips(name, b, 150));
            out.addAll(common.byteEdits(name, b, 120, WIRE_EDGES));
            out.addAll(duplications(name, b, 30));
            out.addAll(varintEdges(name, b, 200));
        }
        out.addAll(garbage(200));
        out.addAll(plausibleGarbage(200));
        out.addAll(hostile());
        return out;
    }

    /** {@code count} inputs with a run of up to 16 bytes duplicated in place (a repeated field or message). */
    List<Case> duplications(String name, byte[] seed, int count) {
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = random.nextInt(seed.length);
            int len = 1 + random.nextInt(Math.min(16, seed.length - at));
            out.add(new Case(name + " duplicate " + at + "+" + len, OnnxSeeds.concat(Arrays.copyOf(seed, at + len),
                    Arrays.copyOfRange(seed, at, seed.length))));
        }
        return out;
    }

    /**
     * Length prefixes and varint values replaced by edge values (huge lengths among them) and by an 11-byte
     * varint: every place when there are few, else {@code count} random ones.
     */
    List<Case> varintEdges(String name, byte[] seed, int count) {
        List<WireLayout.Varint> places = WireLayout.varints(seed);
        List<Case> out = new ArrayList<>();
        int total = places.size() * (EDGES.length + 1);
        for (int i = 0; i < Math.min(count, total); i++) {
            int k = total <= count ? i : random.nextInt(total);
            WireLayout.Varint at = places.get(k / (EDGES.length + 1));
            int e = k % (EDGES.length + 1);
            byte[] value = e < EDGES.length ? varint(EDGES[e]) : eleven();
            out.add(new Case(name + (at.isLength() ? " length@" : " varint@") + at.offset() + "="
                    + (e < EDGES.length ? Long.toUnsignedString(EDGES[e]) : "11-byte varint"),
                    WireLayout.splice(seed, at, value)));
        }
        return out;
    }

    /** Random bytes of random lengths. */
    List<Case> garbage(int count) {
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[random.nextInt(512)];
            random.nextBytes(b);
            out.add(new Case("garbage " + i, b));
        }
        return out;
    }

    /** Random sequences of well-formed fields (any number, any wire type, random lengths), nested at random. */
    List<Case> plausibleGarbage(int count) {
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Case("fields " + i, fields(0)));
        }
        return out;
    }

    private byte[] fields(int depth) {
        WireWriter w = new WireWriter(64);
        for (int k = 0, n = random.nextInt(8); k < n; k++) {
            int field = 1 + random.nextInt(random.nextBoolean() ? 15 : 26);
            switch (random.nextInt(5)) {
                case 0 -> w.int64Field(field, EDGES[random.nextInt(EDGES.length)]);
                case 1 -> {
                    w.tag(field, WireReader.FIXED32);
                    w.fixed32(random.nextInt());
                }
                case 2 -> {
                    w.tag(field, WireReader.FIXED64);
                    w.fixed64(random.nextLong());
                }
                default -> w.bytesField(field, depth < 6 && random.nextBoolean() ? fields(depth + 1)
                        : randomBytes(random.nextInt(16)));
            }
        }
        return w.toByteArray();
    }

    /** Hand-made hostile inputs: deep nesting, huge declared sizes, absurd counts. */
    static List<Case> hostile() {
        List<Case> out = new ArrayList<>();
        out.add(new Case("nested 15 graphs (within the limit)", OnnxFormat.encode(OnnxSeeds.nested(15))));
        out.add(new Case("nested 30 graphs (past the limit)", OnnxFormat.encode(OnnxSeeds.nested(30))));
        out.add(new Case("6000 nested messages", OnnxSeeds.deeplyNested(2000)));
        out.add(new Case("50000 empty nodes", OnnxSeeds.manyEmptyNodes(50_000)));
        for (long declared : EDGES) {
            out.add(new Case("raw_data declaring " + Long.toUnsignedString(declared) + " bytes",
                    OnnxSeeds.hugeRawData(declared)));
        }
        WireWriter t = new WireWriter(16);
        t.int64Field(1, 1);
        t.int32Field(2, DataType.INT64);
        for (int i = 0; i < 50_000; i++) {
            t.int64Field(7, -1); // 11 bytes each, 8 decoded
        }
        out.add(new Case("50000 int64_data for dims [1]", OnnxSeeds.wrap(7, OnnxSeeds.wrap(5, t.toByteArray()))));
        byte[] ints = new byte[100_000]; // packed dims: 100000 one-byte varints
        out.add(new Case("100000 packed dims", OnnxSeeds.wrap(7, OnnxSeeds.wrap(5, OnnxSeeds.concat(
                varint(1 << 3 | WireReader.LEN), varint(ints.length), ints)))));
        return out;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static byte[] varint(long v) {
        WireWriter w = new WireWriter(10);
        w.varint(v);
        return w.toByteArray();
    }

    private static byte[] eleven() {
        byte[] b = new byte[11];
        Arrays.fill(b, (byte) 0xff);
        b[10] = 1;
        return b;
    }
}
