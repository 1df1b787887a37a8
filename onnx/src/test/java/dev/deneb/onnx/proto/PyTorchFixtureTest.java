package dev.deneb.onnx.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Models exported by PyTorch (the fixtures under {@code src/test/resources/fixtures}, made by the fixture script)
 * decode into a consistent graph, survive re-encoding, and compute the same in ONNX Runtime after it. Skipped when no fixture has been generated.
 */
class PyTorchFixtureTest {
    private static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");

    @Test
    void pyTorchExportsDecodeAndSurviveReencoding() throws IOException {
        List<Path> files = List.of();
        if (Files.isDirectory(FIXTURES)) {
            try (Stream<Path> s = Files.list(FIXTURES)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
            }
        }
        Assumptions.assumeFalse(files.isEmpty(), "no .onnx fixtures in " + FIXTURES.toAbsolutePath());
        for (Path file : files) {
            ModelProto m = OnnxFormat.read(file);
            GraphProto g = m.graph();
            assertFalse(g.nodes().isEmpty(), file + ": the graph has no nodes");
            assertTrue(m.defaultOpset() > 0, file + ": no default opset");
            Set<String> known = new HashSet<>();
            g.initializers().forEach(t -> known.add(t.name()));
            g.inputs().forEach(v -> known.add(v.name()));
            for (NodeProto n : g.nodes()) {
                for (String in : n.inputs()) {
                    assertTrue(in.isEmpty() || known.contains(in), file + ": node '" + n.name() + "' (" + n.opType()
                            + ") reads '" + in + "', which no earlier node, initializer or input produces");
                }
                known.addAll(n.outputs());
            }
            for (ValueInfoProto out : g.outputs()) {
                assertTrue(known.contains(out.name()), file + ": graph output '" + out.name() + "' is not produced");
            }
            byte[] reencoded = OnnxFormat.encode(m);
            Protos.assertModel(m, OnnxFormat.decode(reencoded));
            sameOutputsInOnnxRuntime(file, m, reencoded);
        }
    }

    /**
     * The re-encoded model (which lacks what the records drop: doc strings, value_info, metadata) computes in ONNX
     * Runtime what the original file computes, on random inputs; for models whose inputs are all FLOAT.
     */
    private static void sameOutputsInOnnxRuntime(Path file, ModelProto m, byte[] reencoded) throws IOException {
        Set<String> initializers = new HashSet<>();
        m.graph().initializers().forEach(t -> initializers.add(t.name()));
        List<ValueInfoProto> inputs = m.graph().inputs().stream().filter(v -> !initializers.contains(v.name()))
                .toList();
        if (inputs.stream().anyMatch(v -> v.elemType() != DataType.FLOAT || v.shape() == null)) {
            return;
        }
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            Random rnd = new Random(1);
            Map<String, OnnxTensor> feed = new HashMap<>();
            try (OrtSession original = env.createSession(Files.readAllBytes(file), new OrtSession.SessionOptions());
                 OrtSession copy = env.createSession(reencoded, new OrtSession.SessionOptions())) {
                for (ValueInfoProto v : inputs) {
                    long[] shape = v.shape().stream().mapToLong(d -> d.param() != null || d.value() < 0 ? 2
                            : d.value()).toArray();
                    float[] x = new float[(int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) rnd.nextGaussian();
                    }
                    feed.put(v.name(), OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape));
                }
                try (OrtSession.Result a = original.run(feed); OrtSession.Result b = copy.run(feed)) {
                    for (int i = 0; i < a.size(); i++) {
                        if (a.get(i) instanceof OnnxTensor ta && b.get(i) instanceof OnnxTensor tb
                                && ta.getInfo().type == ai.onnxruntime.OnnxJavaType.FLOAT) {
                            float[] fa = new float[ta.getFloatBuffer().remaining()];
                            ta.getFloatBuffer().get(fa);
                            float[] fb = new float[tb.getFloatBuffer().remaining()];
                            tb.getFloatBuffer().get(fb);
                            assertArrayEquals(fa, fb, file + ": output " + i);
                        }
                    }
                }
            } finally {
                feed.values().forEach(OnnxTensor::close);
            }
        } catch (OrtException e) {
            throw new AssertionError(file + ": ONNX Runtime failed on the original or the re-encoded model", e);
        }
    }
}
