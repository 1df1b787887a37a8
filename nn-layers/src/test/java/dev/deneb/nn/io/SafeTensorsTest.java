package dev.deneb.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Fixtures;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The safetensors reader and writer: round trips, the byte layout, PyTorch's files, and corrupt files. */
class SafeTensorsTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("z.weight", Tensor.of(new float[] {1.5f, -2f, 3.25f, Float.MIN_VALUE, Float.MAX_VALUE, -0f}, 2, 3));
        m.put("a.f64", Tensor.of(new double[] {Math.PI, -1e300, 5e-324}));
        m.put("i32", Tensor.of(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 2, 2));
        m.put("i64", Tensor.of(new long[] {Long.MIN_VALUE, -(1L << 40), 7, Long.MAX_VALUE}));
        m.put("mask", Tensor.of(new boolean[] {true, false, false, true, true}));
        m.put("scalar", Tensor.scalar(4.5));
        m.put("empty", Tensor.zeros(0, 3));
        m.put("strided", Tensor.arange(0, 12, 1).to(DType.F32).reshape(3, 4).t()); // a non-contiguous view
        return m;
    }

    @Test
    void roundTripKeepsDtypesShapesValuesOrderAndMetadata() {
        Map<String, Tensor> in = sample();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("tricky \"key\"", "back\\slash\nnew line\ttab \u0001 caf\u00e9 \u6f22\u5b57 \uD83D\uDE00");
        Path f = dir.resolve("sample.safetensors");
        SafeTensors.save(in, meta, f);
        SafeTensors.Contents c = SafeTensors.load(f);
        assertEquals(List.copyOf(in.keySet()), List.copyOf(c.tensors().keySet()), "file order = insertion order");
        assertEquals(meta, c.metadata());
        for (Map.Entry<String, Tensor> e : in.entrySet()) {
            Tensor got = c.tensors().get(e.getKey());
            assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            switch (got.dtype()) {
                case F32 -> assertArrayEquals(e.getValue().toFloatArray(), got.toFloatArray(), e.getKey());
                case F64 -> assertArrayEquals(e.getValue().toDoubleArray(), got.toDoubleArray(), e.getKey());
                case I32 -> assertArrayEquals(e.getValue().toIntArray(), got.toIntArray(), e.getKey());
                case I64 -> assertArrayEquals(e.getValue().toLongArray(), got.toLongArray(), e.getKey());
                case BOOL -> assertArrayEquals(e.getValue().toBooleanArray(), got.toBooleanArray(), e.getKey());
            }
        }
        assertEquals(Float.floatToRawIntBits(-0f),
                Float.floatToRawIntBits(c.tensors().get("z.weight").toFloatArray()[5]), "the sign of -0 survives");
    }

    @Test
    void byteLayoutFollowsTheSpecification() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("w", Tensor.of(new float[] {1f, -2f}));
        in.put("n", Tensor.of(new long[] {3}));
        Path f = dir.resolve("layout.safetensors");
        SafeTensors.save(in, Map.of("k", "v"), f);
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong();
        assertEquals(0, n % 8, "header padded to a multiple of 8");
        assertEquals(8 + n + 8 + 8, bytes.length);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"k\":\"v\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]}}", header.stripTrailing());
        assertTrue(header.substring(header.stripTrailing().length()).chars().allMatch(ch -> ch == ' '));
        b.position((int) (8 + n));
        assertEquals(1f, b.getFloat());
        assertEquals(-2f, b.getFloat());
        assertEquals(3L, b.getLong());
    }

    @Test
    void readsEveryDtypePyTorchWrote() {
        SafeTensors.Contents c = SafeTensors.load(Fixtures.resource("interop/dtypes.safetensors"));
        Map<String, Tensor> t = c.tensors();
        double[] values = {-2.5, -1.0, 0.0, 0.5, 1.0, 3.25};
        assertArrayEquals(values, t.get("f64").toDoubleArray());
        assertEquals(DType.F64, t.get("f64").dtype());
        assertArrayEquals(new int[] {2, 3}, t.get("f32").shape());
        assertArrayEquals(values, t.get("f32").toDoubleArray());
        for (String half : List.of("f16", "bf16")) {
            assertEquals(DType.F32, t.get(half).dtype(), half + " loads as f32");
            assertArrayEquals(values, t.get(half).toDoubleArray(), half);
        }
        assertArrayEquals(new long[] {-(1L << 40), -1, 0, 7, 1L << 40, 5}, t.get("i64").toLongArray());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE, 3}, t.get("i32").toIntArray());
        assertArrayEquals(new int[] {-32768, -1, 0, 1, 32767, 9}, t.get("i16").toIntArray());
        assertArrayEquals(new int[] {-128, -1, 0, 1, 127, 9}, t.get("i8").toIntArray());
        assertArrayEquals(new int[] {0, 1, 2, 128, 255, 9}, t.get("u8").toIntArray());
        assertArrayEquals(new boolean[] {true, false, true, true, false, false}, t.get("bool").toBooleanArray());
        assertArrayEquals(new int[0], t.get("scalar").shape());
        assertEquals(4.5, t.get("scalar").item());
        assertArrayEquals(new int[] {0, 3}, t.get("empty").shape());
        assertEquals("caf\u00e9 \"quoted\"\n", c.metadata().get("note"));
        SafeTensors.Header h = SafeTensors.readHeader(Fixtures.resource("interop/dtypes.safetensors"));
        assertEquals(t.keySet(), h.entries().keySet());
        assertEquals("BF16", h.entries().get("bf16").dtype());
    }

    @Test
    void overwritesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("model.safetensors");
        SafeTensors.save(Map.of("a", Tensor.ones(3)), f);
        SafeTensors.save(Map.of("b", Tensor.zeros(2)), f);
        assertEquals(List.of("b"), List.copyOf(SafeTensors.load(f).tensors().keySet()));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
    }

    @Test
    void largeTensorsCrossChunkBoundaries() {
        int n = (1 << 20) / 4 * 3 + 17; // three 1 MiB chunks and a bit
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.5f - 7;
        }
        Path f = dir.resolve("big.safetensors");
        SafeTensors.save(Map.of("big", Tensor.of(v), "d", Tensor.of(new double[] {1, 2})), f);
        assertArrayEquals(v, SafeTensors.load(f).tensors().get("big").toFloatArray());
    }

    @Test
    void rejectsBadNamesOnSave() {
        Path f = dir.resolve("x.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.save(Map.of("__metadata__", Tensor.ones(1)), f));
        assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.save(Map.of("", Tensor.ones(1)), f));
    }

    @Test
    void missingFileNamesTheFile() {
        Path f = dir.resolve("nope.safetensors");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> SafeTensors.load(f));
        assertTrue(e.getMessage().contains("nope.safetensors"), e.getMessage());
    }

    // ---- corrupt files ----

    /** A file with the given header text (padded) and {@code dataBytes} zero bytes of data. */
    private Path craft(String name, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    private static void assertBad(Path f, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.load(f));
        String m = e.getMessage();
        assertTrue(m.contains(f.toString()), "names the file: " + m);
        for (String s : fragments) {
            assertTrue(m.contains(s), "expected '" + s + "' in: " + m);
        }
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin
                + "," + end + "]}";
    }

    static Stream<Arguments> corruptHeaders() {
        String a = entry("a", "F32", "[2]", 0, 8);
        return Stream.of(
                Arguments.of("{\"a\":", 0, new String[] {"not valid JSON", "line 1, column 6", "Unexpected end-of-input"}),
                Arguments.of("{\"a\" 1}", 0, new String[] {"not valid JSON", "was expecting a colon"}),
                Arguments.of("[1, 2]", 0, new String[] {"does not start with '{'"}),
                Arguments.of("{" + a + "} x", 8, new String[] {"not valid JSON", "after the end"}),
                Arguments.of("{" + a + "," + a + "}", 8, new String[] {"not valid JSON", "Duplicate field 'a'"}),
                Arguments.of("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", 8,
                        new String[] {"not valid JSON"}),
                Arguments.of("{" + entry("a", "X99", "[2]", 0, 8) + "}", 8,
                        new String[] {"tensor 'a'", "unknown or unsupported dtype 'X99'"}),
                Arguments.of("{" + entry("a", "F32", "[2,3]", 0, 8) + "}", 8,
                        new String[] {"tensor 'a'", "needs 24 bytes", "span 8"}),
                Arguments.of("{" + entry("a", "F32", "[-2]", 0, 8) + "}", 8,
                        new String[] {"tensor 'a'", "\"shape\"", "non-negative integers"}),
                Arguments.of("{" + entry("a", "F32", "[2.5]", 0, 8) + "}", 8, new String[] {"\"shape\""}),
                Arguments.of("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8, new String[] {"\"shape\""}),
                Arguments.of("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8,
                        new String[] {"\"data_offsets\"", "array of 2"}),
                Arguments.of("{" + entry("a", "F32", "[2]", 8, 0) + "}", 8, new String[] {"end before begin"}),
                Arguments.of("{" + a + "," + entry("b", "F32", "[2]", 4, 12) + "}", 12,
                        new String[] {"tensor 'b'", "overlaps tensor 'a'"}),
                Arguments.of("{" + a + "," + entry("b", "F32", "[2]", 12, 20) + "}", 20,
                        new String[] {"[8, 12)", "belong to no tensor"}),
                Arguments.of("{" + a + "}", 12, new String[] {"4 trailing bytes"}),
                Arguments.of("{" + a + "," + entry("b", "F64", "[4]", 8, 40) + "}", 16,
                        new String[] {"tensor 'b'", "truncated"}),
                Arguments.of("{\"__metadata__\":{\"epoch\":3}," + a + "}", 8,
                        new String[] {"metadata value of 'epoch' must be a string"}),
                Arguments.of("{\"a\":[1]}", 0, new String[] {"header entry 'a' is not an object"}),
                Arguments.of("{\"a\\x\":1}", 0, new String[] {"not valid JSON", "Unrecognized character escape 'x'"}));
    }

    @ParameterizedTest
    @MethodSource("corruptHeaders")
    void corruptHeaderGivesAClearError(String header, int dataBytes, String[] fragments) throws IOException {
        assertBad(craft("corrupt.safetensors", header, dataBytes), fragments);
    }

    @Test
    void truncatedFilesGiveAClearError() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafeTensors.save(sample(), Map.of("format", "pt"), good);
        byte[] bytes = Files.readAllBytes(good);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int[] cuts = {0, 5, 8, 8 + (int) n / 2, (int) (8 + n), bytes.length - 1};
        String[] expected = {"only 0 bytes", "only 5 bytes", "truncated", "truncated", "truncated", "truncated"};
        for (int i = 0; i < cuts.length; i++) {
            Path f = dir.resolve("cut" + cuts[i] + ".safetensors");
            Files.write(f, Arrays.copyOf(bytes, cuts[i]));
            assertBad(f, expected[i]);
        }
    }

    @Test
    void hugeHeaderLengthIsRejected() throws IOException {
        Path f = dir.resolve("huge.safetensors");
        Files.write(f, new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, '{', '}'});
        assertBad(f, "18446744073709551615", "truncated or not a safetensors file");
    }

    @Test
    void notUtf8IsRejected() throws IOException {
        Path f = dir.resolve("latin1.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(8).put(new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'});
        Files.write(f, b.array());
        assertBad(f, "not valid UTF-8");
    }

    @Test
    void boolBytesOtherThanZeroOrOneAreRejected() throws IOException {
        Path f = craft("bool.safetensors", "{" + entry("m", "BOOL", "[2]", 0, 2) + "}", 2);
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 1] = 2;
        Files.write(f, bytes);
        assertBad(f, "tensor 'm' is BOOL", "byte 2");
    }

    @Test
    void textFileIsNotASafetensorsFile() throws IOException {
        Path f = dir.resolve("readme.safetensors");
        Files.writeString(f, "This is not a tensor file at all, just some text.\n");
        assertBad(f, "truncated or not a safetensors file");
    }
}
