package dev.deneb.onnx.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.onnx.OnnxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Encoding then decoding gives back every field the records hold. */
class RoundTripTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void randomModelsSurviveEncodeDecode(long seed) {
        ModelProto model = new RandomModels(seed, 6).model();
        byte[] bytes = OnnxFormat.encode(model);
        ModelProto back = OnnxFormat.decode(bytes);
        Protos.assertModel(model, back);
        assertArrayEquals(bytes, OnnxFormat.encode(back), "re-encoding gives the same bytes");
    }

    @Test
    void everyElementTypeOfInitializerSurvives() {
        RandomModels gen = new RandomModels(99, 0);
        List<TensorProto> inits = new java.util.ArrayList<>();
        for (int type : RandomModels.SIZED_TYPES) {
            TensorProto t = gen.tensor();
            int n = 6;
            byte[] raw = new byte[n * DataType.size(type)];
            new java.util.Random(type).nextBytes(raw);
            inits.add(new TensorProto("t" + type, type, new long[] {2, 3}, raw));
            inits.add(new TensorProto("s" + type, type, new long[0], java.util.Arrays.copyOf(raw,
                    DataType.size(type))));
            inits.add(new TensorProto(t.name(), type, new long[] {0, 5}, new byte[0]));
        }
        ModelProto m = new ModelProto(8, List.of(new OperatorSetId("", 17)), "", "",
                new GraphProto("g", List.of(), inits, List.of(), List.of()));
        Protos.assertModel(m, OnnxFormat.decode(OnnxFormat.encode(m)));
    }

    @Test
    void writeThenReadThroughAFile(@TempDir Path dir) {
        ModelProto model = new RandomModels(7, 4).model();
        Path file = dir.resolve("m.onnx");
        OnnxFormat.write(model, file);
        OnnxFormat.write(model, file); // replaces the existing file
        Protos.assertModel(model, OnnxFormat.read(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void readNamesTheFileOfMalformedContent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.onnx");
        byte[] bytes = OnnxFormat.encode(new RandomModels(3, 4).model());
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxFormat.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertThrows(java.io.UncheckedIOException.class, () -> OnnxFormat.read(dir.resolve("missing.onnx")));
    }

    @Test
    void encodingRefusesDataThatDoesNotMatchTheDims() {
        TensorProto bad = new TensorProto("w", DataType.FLOAT, new long[] {2, 2}, new byte[12]);
        ModelProto m = new ModelProto(8, List.of(), "", "", new GraphProto("g", List.of(), List.of(bad), List.of(),
                List.of()));
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxFormat.encode(m));
        assertTrue(e.getMessage().contains("tensor 'w'"), e.getMessage());
    }
}
