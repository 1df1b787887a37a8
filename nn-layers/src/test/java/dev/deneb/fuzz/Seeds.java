package dev.deneb.fuzz;

import dev.deneb.data.Csv;
import dev.deneb.data.CsvTable;
import dev.deneb.data.IdxReader;
import dev.deneb.nn.Linear;
import dev.deneb.nn.io.Checkpoint;
import dev.deneb.nn.io.SafeTensors;
import dev.deneb.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** The loaders under fuzzing, each with small valid seed files and its seeded mutations of them. */
final class Seeds {
    private Seeds() {}

    static List<FuzzTarget> targets(Path work, long seed) throws IOException {
        return List.of(safetensors(work, seed), checkpoint(work, seed + 1), idx(seed + 2, false),
                idx(seed + 3, true), csv(seed + 4));
    }

    private static FuzzTarget safetensors(Path work, long seed) throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.of(new float[] {1, -2, 3.5f, 0, 1e-3f, 7}, 2, 3));
        m.put("steps", Tensor.of(new long[] {1, 2, 3}));
        m.put("mask", Tensor.of(new boolean[] {true, false}));
        m.put("d", Tensor.of(new double[] {Math.E}));
        Path f = work.resolve("seed.safetensors");
        SafeTensors.save(m, Map.of("format", "pt"), f);
        byte[] saved = Files.readAllBytes(f);
        // The types Deneb only reads (PyTorch writes them), in a file made by hand.
        byte[] foreign = craft("{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[2,1],\"data_offsets\":[6,8]},"
                + "\"i\":{\"dtype\":\"I16\",\"shape\":[],\"data_offsets\":[8,10]},"
                + "\"v\":{\"dtype\":\"U32\",\"shape\":[1],\"data_offsets\":[10,14]}}", new byte[14]);
        List<Mutations.Case> cases = safetensorsCases(new Mutations(seed), "saved", saved, 1);
        cases.addAll(safetensorsCases(new Mutations(seed + 100), "foreign", foreign, 2));
        return new FuzzTarget("safetensors", ".safetensors", cases, SafeTensors::load);
    }

    private static FuzzTarget checkpoint(Path work, long seed) throws IOException {
        Linear model = new Linear(3, 2);
        Path f = work.resolve("seed.ckpt.safetensors");
        Checkpoint.of(model).optimizerState(Map.of("state.0.step", Tensor.of(new long[] {5})))
                .optimizerSettings(Map.of("lr", "0.01")).epoch(3).metadata(Map.of("note", "fuzz")).save(f);
        byte[] saved = Files.readAllBytes(f);
        List<Mutations.Case> cases = safetensorsCases(new Mutations(seed), "checkpoint", saved, 1);
        return new FuzzTarget("checkpoint", ".safetensors", cases, Checkpoint::load);
    }

    /** Truncations, bit flips, byte edits, the length field, and header JSON mutations with the data kept. */
    private static List<Mutations.Case> safetensorsCases(Mutations mut, String name, byte[] seed, int share) {
        List<Mutations.Case> cases = new ArrayList<>(Mutations.truncations(name, seed));
        cases.addAll(mut.bitFlips(name, seed, 300 / share));
        cases.addAll(mut.byteEdits(name, seed, 200 / share));
        cases.addAll(Mutations.fieldValues(name, seed, 0, 8, ByteOrder.LITTLE_ENDIAN));
        int n = (int) ByteBuffer.wrap(seed).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(seed, 8, n, StandardCharsets.UTF_8).strip();
        byte[] data = java.util.Arrays.copyOfRange(seed, 8 + n, seed.length);
        int k = 0;
        for (String json : mut.json(header, 500 / share)) {
            cases.add(new Mutations.Case(name + " json#" + k++ + " " + abbreviate(json), craft(json, data)));
        }
        return cases;
    }

    static byte[] craft(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length)
                .put(h).put(data).array();
    }

    private static FuzzTarget idx(long seed, boolean gzip) throws IOException {
        Mutations mut = new Mutations(seed);
        byte[] images = idxFile(IdxReader.IMAGES_MAGIC, new int[] {3, 4, 5});
        byte[] labels = idxFile(IdxReader.LABELS_MAGIC, new int[] {10});
        List<Mutations.Case> cases = new ArrayList<>();
        for (var s : List.of(new Mutations.Case("images", images), new Mutations.Case("labels", labels))) {
            List<Mutations.Case> raw = new ArrayList<>(Mutations.truncations(s.name(), s.bytes()));
            raw.addAll(mut.bitFlips(s.name(), s.bytes(), 150));
            raw.addAll(mut.byteEdits(s.name(), s.bytes(), 100));
            for (int off = 0; off + 4 <= Math.min(16, s.bytes().length); off += 4) {
                raw.addAll(Mutations.fieldValues(s.name(), s.bytes(), off, 4, ByteOrder.BIG_ENDIAN));
            }
            if (!gzip) {
                cases.addAll(raw);
                continue;
            }
            byte[] gz = gzip(s.bytes());
            cases.addAll(Mutations.truncations(s.name() + ".gz", gz));
            cases.addAll(mut.bitFlips(s.name() + ".gz", gz, 150));
            cases.addAll(mut.byteEdits(s.name() + ".gz", gz, 100));
            cases.addAll(Mutations.fieldValues(s.name() + ".gz ISIZE", gz, gz.length - 4, 4, ByteOrder.LITTLE_ENDIAN));
            for (Mutations.Case c : raw.subList(s.bytes().length, raw.size())) { // well-formed gzip, bad content
                cases.add(new Mutations.Case("gzip(" + c.name() + ")", gzip(c.bytes())));
            }
        }
        if (gzip) {
            // Bombs: 4 MB of zeros behind headers that declare 10 bytes and 2^31 - 9 bytes.
            byte[] zeros = new byte[4 << 20];
            for (int declared : new int[] {10, Integer.MAX_VALUE - 9}) {
                byte[] content = new byte[8 + zeros.length];
                ByteBuffer.wrap(content).putInt(IdxReader.LABELS_MAGIC).putInt(declared);
                cases.add(new Mutations.Case("bomb declaring " + declared, gzip(content)));
            }
        }
        FuzzTarget.Loader loader = f -> IdxReader.read(f, f.getFileName().toString().contains("images") ? 3 : 1);
        return gzip ? new FuzzTarget("idx-gzip", ".gz", cases, loader, Seeds::gunzippedSize)
                : new FuzzTarget("idx-raw", "", cases, loader);
    }

    private static byte[] idxFile(int magic, int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + n).putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        for (int i = 0; i < n; i++) {
            b.put((byte) (i * 37));
        }
        return b.array();
    }

    /** The larger of the file's size and what it decompresses to before the first error. */
    static long gunzippedSize(byte[] file) {
        long n = 0;
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(file))) {
            byte[] buf = new byte[8192];
            for (int r; (r = in.read(buf)) > 0; ) {
                n += r;
            }
        } catch (IOException | RuntimeException e) {
            // counted up to the error
        }
        return Math.max(file.length, n);
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(content);
        }
        return out.toByteArray();
    }

    private static final String[] CELLS = {"1e39", "-1e39", "1e400", "inf", "-Infinity", "NaN", "0x1p3", "1e-50",
        "", " ", "\"", "\"\"", ",", "\n", "\r", "\"a,b\"", "9223372036854775808", "-0", "1_0", "\u00e9"};

    private static FuzzTarget csv(long seed) {
        Mutations mut = new Mutations(seed);
        String text = "id,name,x,y\r\n1,\"a, b\",0.5,-2\r\n2,\"say \"\"hi\"\"\",1e3,3.25\n3,caf\u00e9,-0.0,7\n";
        byte[] seedBytes = Mutations.utf8(text);
        List<Mutations.Case> cases = new ArrayList<>(Mutations.truncations("csv", seedBytes));
        cases.addAll(mut.bitFlips("csv", seedBytes, 400));
        cases.addAll(mut.byteEdits("csv", seedBytes, 300));
        for (int i = 0; i < 300; i++) {
            String[] lines = text.split("\n", -1);
            int line = 1 + mut.random().nextInt(3);
            String[] cells = lines[line].split(",", -1);
            int c = mut.random().nextInt(cells.length);
            String cell = CELLS[mut.random().nextInt(CELLS.length)];
            cells[c] = cell;
            lines[line] = String.join(",", cells);
            cases.add(new Mutations.Case("csv line " + (line + 1) + " cell " + c + "=" + abbreviate(cell),
                    Mutations.utf8(String.join("\n", lines))));
        }
        return new FuzzTarget("csv", ".csv", cases, f -> {
            CsvTable t = Csv.read(f);
            for (String column : t.columns()) {
                if (column.equals("x") || column.equals("y")) {
                    t.tensor(List.of(column));
                    t.doubles(column);
                } else if (column.equals("id")) {
                    t.longs(column);
                }
            }
        });
    }

    static String abbreviate(String s) {
        String flat = s.replace("\n", "\\n").replace("\r", "\\r");
        return flat.length() > 60 ? flat.substring(0, 60) + "…" : flat;
    }
}
