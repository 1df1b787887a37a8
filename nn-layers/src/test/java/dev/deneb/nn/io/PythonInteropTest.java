package dev.deneb.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deneb.nn.BatchNorm2d;
import dev.deneb.nn.Sequential;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other direction of the interop proof: PyTorch reads a file that Deneb wrote. A Deneb model with its own
 * random weights and non-default batch-norm statistics is saved with {@link ModelIO}, together with an input and
 * Deneb's output; {@code make_reference.py verify} loads the file into the PyTorch twin with
 * {@code load_state_dict(strict=True)} and checks that PyTorch computes the same output. Skipped where
 * {@code /usr/bin/python3} with torch is not installed (the committed fixtures cover the PyTorch-to-Deneb direction
 * everywhere).
 */
class PythonInteropTest {
    @TempDir
    Path dir;

    @Test
    void pyTorchLoadsOurFileAndComputesOurOutput() throws IOException, InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        Path script = Path.of("src/test/python/make_reference.py").toAbsolutePath();
        Assumptions.assumeTrue(Files.isExecutable(python) && Files.exists(script), "no python3 or script");

        Sequential model = ModelIOTest.tinyCnn();
        Generator g = new Generator(77);
        model.forward(g.normal(1, 2, 4, 1, 4, 4));
        model.forward(g.normal(0, 1, 4, 1, 4, 4));
        BatchNorm2d bn = (BatchNorm2d) model.get(1);
        bn.weight.detach().copyFrom(Tensor.of(new float[] {0.8f, 1.3f}));
        model.eval();
        Tensor x = g.normal(0, 1, 2, 1, 4, 4);
        Tensor y = model.forward(x).detach();
        Path modelFile = dir.resolve("deneb_tiny_cnn.safetensors");
        Path ioFile = dir.resolve("deneb_io.safetensors");
        ModelIO.save(model, modelFile);
        Map<String, Tensor> io = new LinkedHashMap<>();
        io.put("input", x);
        io.put("output", y);
        SafeTensors.save(io, ioFile);

        Process p = new ProcessBuilder(python.toString(), script.toString(), "verify", modelFile.toString(),
                ioFile.toString()).redirectErrorStream(true).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        Assumptions.assumeFalse(out.contains("No module named 'torch'"), "PyTorch is not installed");
        assertEquals(0, done ? p.exitValue() : -1,
                "PyTorch could not read Deneb's file or got another output:\n" + out);
    }
}
