package dev.deneb.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The limits of the safetensors reader: rank, names that must round-trip, strict escapes, bounded allocation. */
class SafeTensorsLimitsTest {
    @TempDir
    Path dir;

    private Path craft(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve("crafted.safetensors");
        Files.write(f, b.array());
        return f;
    }

    private static IllegalArgumentException bad(Path f) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.load(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        return e;
    }

    private static String shape(int rank) {
        return "[" + "1,".repeat(rank - 1) + "1]";
    }

    @Test
    void rankUpToTheLimitLoadsAndBeyondIsRejected() throws IOException {
        Path ok = craft("{\"a\":{\"dtype\":\"F32\",\"shape\":" + shape(SafeTensors.MAX_RANK)
                + ",\"data_offsets\":[0,4]}}", 4);
        assertEquals(SafeTensors.MAX_RANK, SafeTensors.load(ok).tensors().get("a").dim());
        Path tooMany = craft("{\"a\":{\"dtype\":\"F32\",\"shape\":" + shape(SafeTensors.MAX_RANK + 1)
                + ",\"data_offsets\":[0,4]}}", 4);
        String m = bad(tooMany).getMessage();
        assertTrue(m.contains("at most 64") && m.contains("rank limit is 64"), m);
    }

    /** A rank of a million used to be read whole (a list of a million Longs, then a toString that overflowed). */
    @Test
    void hugeRankIsRejectedWithoutAllocatingForIt() throws IOException {
        Path f = craft("{\"a\":{\"dtype\":\"F32\",\"shape\":" + shape(1_000_000) + ",\"data_offsets\":[0,4]}}", 4);
        long size = Files.size(f);
        long before = allocated();
        bad(f);
        long used = allocated() - before;
        assertTrue(used < 3 * size, "allocated " + used + " bytes to reject a file of " + size);
    }

    @Test
    void savingMoreDimensionsThanTheLimitIsRejected() {
        int[] dims = new int[SafeTensors.MAX_RANK + 1];
        java.util.Arrays.fill(dims, 1);
        Tensor t = Tensor.zeros(dims);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.save(Map.of("deep", t), dir.resolve("deep.safetensors")));
        assertTrue(e.getMessage().contains("65 dimensions"), e.getMessage());
    }

    /** Character.digit accepted any Unicode digit: \\u00 followed by ARABIC-INDIC ONE, TWO read as U+0012. */
    @ParameterizedTest
    @ValueSource(strings = {"\\u00\u0661\u0662", "\\u\uff10\uff10\uff14\uff11", "\\u00\u0e51\u0e52"})
    void unicodeEscapesTakeAsciiHexDigitsOnly(String escape) throws IOException {
        Path f = craft("{\"" + escape + "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        String m = bad(f).getMessage();
        assertTrue(m.contains("not valid JSON") && m.contains("hex-digit"), m);
    }

    /** Names that load must save (and the reverse): one rule on both sides. */
    @ParameterizedTest
    @ValueSource(strings = {"", "\\ud800", "x\\udc00y"})
    void namesThatCannotBeSavedAreRejectedAtLoad(String escapedName) throws IOException {
        Path f = craft("{\"" + escapedName + "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        String m = bad(f).getMessage();
        // Jackson itself refuses an unpaired surrogate escape in a key; our rule catches the empty name.
        assertTrue(m.contains("not allowed") || m.contains("surrogate"), m);
        String name = (String) Json.parse("\"" + escapedName + "\"");
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.save(Map.of(name, Tensor.ones(1)), dir.resolve("back.safetensors")));
    }

    @Test
    void unpairedSurrogatesInMetadataAreRejectedOnBothSides() throws IOException {
        Path f = craft("{\"__metadata__\":{\"k\":\"\\udbff\"}}", 0);
        assertTrue(bad(f).getMessage().contains("unpaired surrogate"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.save(Map.of(), Map.of("k", "\udbff"), dir.resolve("m.safetensors")));
        assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
    }

    @Test
    void oddButValidNamesRoundTrip() {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (String name : new String[] {" ", "\u0000", "\u0007bell", "\"q\"", "\\", "\uD83D\uDE00", "\u00e9"}) {
            in.put(name, Tensor.ones(1));
        }
        Path f = dir.resolve("odd.safetensors");
        SafeTensors.save(in, Map.of("\u0000", "\uD83D\uDE00"), f);
        SafeTensors.Contents c = SafeTensors.load(f);
        assertEquals(in.keySet(), c.tensors().keySet());
        assertEquals(Map.of("\u0000", "\uD83D\uDE00"), c.metadata());
    }

    /** Each load and save allocated a 1 MiB direct buffer that only a GC freed. */
    @Test
    void loadAndSaveAllocateNoDirectBufferPerCall() {
        Path f = dir.resolve("small.safetensors");
        Map<String, Tensor> m = Map.of("w", Tensor.ones(2, 2));
        SafeTensors.save(m, f); // the JDK's per-thread I/O buffer cache warms up here
        SafeTensors.load(f);
        long before = directBytes();
        for (int i = 0; i < 20; i++) {
            SafeTensors.save(m, f);
            SafeTensors.load(f);
        }
        long grown = directBytes() - before;
        assertTrue(grown < (1 << 20), "direct buffer memory grew by " + grown + " bytes over 20 saves and loads");
    }

    private static long directBytes() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b.getMemoryUsed();
            }
        }
        throw new IllegalStateException("no direct buffer pool");
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
