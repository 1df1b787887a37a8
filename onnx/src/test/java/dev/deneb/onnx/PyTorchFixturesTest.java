package dev.deneb.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.io.SafeTensors;
import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models exported by PyTorch 1.13 (opset 17, symbolic batch; see {@code onnx/fixtures/make_fixtures.py}) give
 * PyTorch's outputs in Deneb, at a batch size other than the export's.
 */
class PyTorchFixturesTest {
    static Path folder() throws URISyntaxException {
        return Path.of(PyTorchFixturesTest.class.getResource("/fixtures").toURI());
    }

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(folder())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".onnx"))
                    .map(n -> n.substring(0, n.length() - ".onnx".length())).sorted().toList().stream();
        }
    }

    @Test
    void everyModelHasItsData() throws Exception {
        List<String> names = fixtures().toList();
        assertTrue(names.size() >= 8, "fixtures found: " + names);
        for (String n : names) {
            assertTrue(Files.exists(folder().resolve(n + ".safetensors")), n + ".safetensors is missing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void matchesPyTorch(String name) throws Exception {
        OnnxModel model = OnnxModel.load(folder().resolve(name + ".onnx"));
        Map<String, Tensor> data = SafeTensors.load(folder().resolve(name + ".safetensors")).tensors();
        Map<String, Tensor> feed = new HashMap<>();
        for (String in : model.inputNames()) {
            feed.put(in, data.get(in));
        }
        Map<String, Tensor> out = model.run(feed);
        assertEquals(List.of("output"), List.copyOf(out.keySet()));
        OrtOracle.assertClose(name, data.get("output"), out.get("output"), 1e-5);
    }
}
