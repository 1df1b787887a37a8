package dev.deneb.examples.sdss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.data.Csv;
import dev.deneb.data.CsvTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The SDSS pipeline end to end on a small sample of the real file: train (two seeds, a few epochs), the files it
 * writes, then {@code predict} on a CSV cut from the data. Skipped, with a message, when the data folder is absent.
 */
class SdssPipelineTest {

    static Path csvOrSkip() {
        Path dir = SdssData.defaultDirectory();
        Path csv = dir == null ? null : dir.resolve(SdssData.FILE);
        Assumptions.assumeTrue(csv != null && Files.isRegularFile(csv),
                "SDSS data not found (shared/data/sdss above " + Path.of("").toAbsolutePath()
                        + "); skipping the end-to-end test");
        return csv;
    }

    @Test
    void trainThenPredictOnASmallSample(@TempDir Path out) throws Exception {
        Path csv = csvOrSkip();
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = new CommandLine(new SdssCommand()).execute("--data", csv.getParent().toString(), "--out",
                    out.toString(), "--limit", "800", "--epochs", "6", "--patience", "3", "--seeds", "2",
                    "--hidden", "16", "--threads", "1");
        } finally {
            System.setOut(saved);
        }
        String log = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, log);
        assertTrue(log.contains("true \\ pred") && log.contains("precision") && log.contains("ROC AUC"), log);
        assertTrue(log.contains("test scores over 2 seeds"), log);
        for (String f : List.of("sdss-star-qso.safetensors", "sdss-star-qso-splits.csv", "sdss-star-qso-history.csv",
                "sdss-star-qso-results.csv", "sdss-star-qso-curves.png", "sdss-star-qso-confusion.png",
                "sdss-star-qso-roc-pr.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        CsvTable splits = Csv.read(out.resolve("sdss-star-qso-splits.csv"));
        assertEquals(1600, splits.rows(), "every row of both seeds is in exactly one part");
        double accuracy = Csv.read(out.resolve("sdss-star-qso-results.csv")).doubles("accuracy")[0];
        assertTrue(accuracy > 0.8, "even a short run beats the 83 % majority class: " + accuracy);

        // predict on the first 200 data rows (CRLF, all three classes present, galaxies are skipped in scoring).
        List<String> lines = Files.readAllLines(csv).subList(0, 201);
        Path sample = out.resolve("sample.csv");
        Files.writeString(sample, String.join("\r\n", lines) + "\r\n");
        Path predictions = out.resolve("pred.csv");
        buf.reset();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = new CommandLine(new SdssCommand()).execute("predict", "--model", out.toString(), "--csv",
                    sample.toString(), "--output", predictions.toString());
        } finally {
            System.setOut(saved);
        }
        String plog = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, plog);
        assertTrue(plog.contains("not scored") && plog.contains("scored on"), plog);
        CsvTable p = Csv.read(predictions);
        assertEquals(200, p.rows());
        assertTrue(List.of("STAR", "QSO").containsAll(List.of(p.strings("predicted"))));
        double[] ps = p.doubles("p_QSO");
        double[] pstar = p.doubles("p_STAR");
        for (int i = 0; i < ps.length; i++) {
            assertEquals(1.0, ps[i] + pstar[i], 1e-5);
        }
    }

    @Test
    void predictWithoutClassColumnAndMissingData(@TempDir Path dir) throws Exception {
        // A model trained on nothing is enough to check the CLI paths that need no data folder.
        Path bad = dir.resolve("nothing-here");
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new SdssCommand()).execute("--data", bad.toString(), "--out", dir.toString());
        } finally {
            System.setErr(savedErr);
        }
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("SDSS data not found"), err.toString());
    }
}
