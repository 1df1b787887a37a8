package dev.deneb.examples.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.data.DataPaths;
import dev.deneb.examples.Main;
import dev.deneb.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AnomalyCommandTest {

    @Test
    void autoencoderShapesRoundTrip() {
        Tensor x = Tensor.randn(3, StarAutoencoder.WIDTH);
        assertEquals(java.util.List.of(3, StarAutoencoder.WIDTH),
                java.util.Arrays.stream(new StarAutoencoder(4).forward(x).shape()).boxed().toList());
    }

    @Test
    void findsTheHeldOutMirasOnRealCurves(@TempDir Path out) {
        Assumptions.assumeTrue(DataPaths.find("eros1_variable_stars").isPresent(), "EROS-1 data not found; skipping");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true));
        int code;
        try {
            code = new CommandLine(new Main()).execute("anomaly", "--held-out", "3", "--epochs", "8", "--out",
                    out.toString());
        } finally {
            System.setOut(old);
        }
        String log = buf.toString();
        assertEquals(0, code, log);
        assertTrue(log.contains("| mira |"), log);
        assertTrue(Files.exists(out.resolve("anomaly-mira.png")));
        // Miras (periods of months, large amplitudes) look unlike the other classes: both scores must find them
        // better than chance.
        String row = log.lines().filter(l -> l.startsWith("| mira |")).findFirst().orElseThrow();
        String[] cells = row.split("\\|");
        assertTrue(Double.parseDouble(cells[3].trim()) > 0.5, row);
        assertTrue(Double.parseDouble(cells[4].trim()) > 0.5, row);
    }
}
