package dev.deneb.examples.sdss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.data.Csv;
import dev.deneb.data.CsvTable;
import dev.deneb.decomposition.PCA;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The sdss command on small synthetic catalogues written here (no data folder needed): dereddened column names,
 * missing values, other classes, cross-validation, random search, predictions with IDs and out-of-distribution
 * flags, bad data without a stack trace, and the PCA plot.
 */
class SdssToolTest {
    static final String RENAMES = "dered_u=u,dered_g=g,dered_r=r,dered_i=i,dered_z=z";

    /** Stars (red u-g) and quasars (blue u-g), separable by colour, plus one galaxy and one row with -9999. */
    static Path catalogue(Path dir, int n, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>(List.of("objid,dered_u,dered_g,dered_r,dered_i,dered_z,class"));
        for (int k = 0; k < n; k++) {
            boolean qso = k % 3 == 0;
            double rMag = 16 + 2 * r.nextDouble();
            double ug = qso ? 0.2 + 0.2 * r.nextDouble() : 1.1 + 0.4 * r.nextDouble();
            double gr = qso ? 0.15 + 0.1 * r.nextDouble() : 0.4 + 0.3 * r.nextDouble();
            double ri = 0.1 + 0.1 * r.nextDouble();
            double iz = 0.05 + 0.1 * r.nextDouble();
            lines.add(String.format(Locale.ROOT, "%d,%.4f,%.4f,%.4f,%.4f,%.4f,%s", 1000 + k, rMag + gr + ug, rMag + gr,
                    rMag, rMag - ri, rMag - ri - iz, qso ? (k % 2 == 0 ? "QSO" : "qso") : "STAR"));
        }
        lines.add("5000,18,17,16,15,14,GALAXY");
        lines.add("5001,-9999,17,16,15,14,STAR");
        Path f = dir.resolve("catalogue.csv");
        Files.writeString(f, String.join("\r\n", lines) + "\r\n");
        return f;
    }

    record Run(int code, String out, String err) {}

    static Run sdss(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new SdssCommand()).execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static List<String> withRenames(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        for (String r : RENAMES.split(",")) {
            a.add("--rename");
            a.add(r);
        }
        return a;
    }

    @Test
    void trainsOnDereddenedColumnsThenPredictsWithIdsAndOutOfDistributionFlags(@TempDir Path dir) throws Exception {
        Path csv = catalogue(dir, 150, 1);
        Path out = dir.resolve("run");
        Run train = sdss(withRenames("--data", csv.toString(), "--out", out.toString(), "--epochs", "15",
                "--patience", "15", "--hidden", "8", "--lr", "1e-2", "--threads", "1").toArray(String[]::new));
        assertEquals(0, train.code(), train.out() + train.err());
        assertTrue(train.out().contains("left out 1 rows of classes outside [STAR, QSO]: GALAXY 1"), train.out());
        assertTrue(train.out().contains("skipped 1 rows with unusable values")
                && train.out().contains("1 row with missing-value code (dered_u 1)"), train.out());
        assertTrue(train.out().contains("out of distribution: 0 of 30 test objects"), train.out());

        // A table to predict: usual rows, one far outside the training range, one missing value, IDs as text.
        List<String> lines = new ArrayList<>(Files.readAllLines(csv).subList(0, 11));
        lines.add("9001,19.5,18.5,18.0,28.2,17.5,STAR");
        lines.add("9002,19.5,,18.0,17.8,17.5,STAR");
        Path sample = dir.resolve("sample.csv");
        Files.writeString(sample, String.join("\n", lines) + "\n");
        Path predictions = dir.resolve("pred.csv");
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            List<String> args = withRenames("predict", "--model", out.toString(), "--csv", sample.toString(),
                    "--output", predictions.toString(), "--id-column", "objid");
            code = new CommandLine(new SdssCommand()).execute(args.toArray(String[]::new));
        } finally {
            System.setOut(saved);
        }
        String log = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, log);
        assertTrue(log.contains("skipped 1 rows") && log.contains("empty cell (dered_g 1)"), log);
        assertTrue(log.contains("warning: 1 of 11 objects lie beyond ±5σ"), log);
        CsvTable p = Csv.read(predictions);
        assertEquals(List.of("objid", "row", "predicted", "p_STAR", "p_QSO", "ood", "ood_features"), p.columns());
        assertEquals(11, p.rows());
        assertEquals("9001", p.strings("objid")[10]);
        assertEquals(10, p.longs("row")[10]);
        assertEquals(1, p.longs("ood")[10]);
        assertTrue(p.strings("ood_features")[10].contains("i"), p.strings("ood_features")[10]);
        assertEquals(0, java.util.Arrays.stream(p.longs("ood")).limit(10).sum());
        long correct = 0;
        String[] predicted = p.strings("predicted");
        String[] truth = Csv.read(sample).strings("class");
        for (int i = 0; i < 10; i++) {
            correct += predicted[i].equalsIgnoreCase(truth[i]) ? 1 : 0;
        }
        assertTrue(correct >= 8, "separable colours: " + correct + " of 10 right");
    }

    @Test
    void crossValidationReportsMeanAndStdOverFolds(@TempDir Path dir) throws Exception {
        Path csv = catalogue(dir, 90, 2);
        Run cv = sdss(withRenames("--data", csv.toString(), "--out", dir.resolve("cv").toString(), "--cv", "3",
                "--epochs", "4", "--hidden", "8", "--threads", "1").toArray(String[]::new));
        assertEquals(0, cv.code(), cv.out() + cv.err());
        assertTrue(cv.out().contains("fold 3/3 (60 train, 30 test)"), cv.out());
        assertTrue(cv.out().contains("3-fold cross-validation (mean ± std over folds)"), cv.out());
        assertTrue(cv.out().lines().anyMatch(l -> l.strip().startsWith("accuracy") && l.contains(" ± ")), cv.out());
        assertFalse(Files.exists(dir.resolve("cv").resolve("sdss-star-qso.safetensors")), "--cv saves no model");
    }

    @Test
    void randomSearchRanksConfigurationsByTheChosenMetric(@TempDir Path dir) throws Exception {
        Path csv = catalogue(dir, 60, 3);
        Path out = dir.resolve("search");
        Run s = sdss(withRenames("--data", csv.toString(), "--out", out.toString(), "--search", "2", "--cv", "2",
                "--epochs", "2", "--threads", "1", "--search-metric", "log-loss").toArray(String[]::new));
        assertEquals(0, s.code(), s.out() + s.err());
        assertTrue(s.out().contains("configuration 2/2:") && s.out().contains("configurations by log_loss"), s.out());
        assertTrue(s.out().contains("best: lr=") && s.out().contains("train it: sdss --task star-qso --lr "), s.out());
        CsvTable t = Csv.read(out.resolve("sdss-star-qso-search.csv"));
        assertEquals(2, t.rows());
        double[] loss = t.doubles("log_loss_mean");
        assertTrue(loss[0] <= loss[1], "ranked by log-loss, lowest first: " + loss[0] + ", " + loss[1]);
        Run bad = sdss("--data", csv.toString(), "--search", "2", "--search-metric", "speed");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--search-metric: unknown 'speed'"), bad.err());
    }

    @Test
    void badDataAndBadOptionsEndWithAMessageNotAStackTrace(@TempDir Path dir) throws Exception {
        Path csv = catalogue(dir, 30, 4);
        Run fail = sdss(withRenames("--data", csv.toString(), "--bad-rows", "fail").toArray(String[]::new));
        assertEquals(2, fail.code());
        assertTrue(fail.err().contains("data row 32, column 'dered_u': missing-value code '-9999'"), fail.err());
        assertFalse(fail.err().contains("Exception") || fail.err().contains("\tat "), fail.err());
        Run noColumn = sdss("--data", csv.toString());
        assertEquals(2, noColumn.code());
        assertTrue(noColumn.err().contains("--features: 'u' is neither a column"), noColumn.err());
        Run badMissing = sdss("--data", csv.toString(), "--missing", "n/a");
        assertEquals(2, badMissing.code());
        assertTrue(badMissing.err().contains("--missing: 'n/a' is not a number"), badMissing.err());
    }

    @Test
    void pcaWritesTheProjectionPlotAndTheFittedPca(@TempDir Path dir) throws Exception {
        Path csv = catalogue(dir, 60, 5);
        Path out = dir.resolve("pca");
        Run pca = sdss(withRenames("pca", "--data", csv.toString(), "--out", out.toString(), "--task", "star-qso")
                .toArray(String[]::new));
        assertEquals(0, pca.code(), pca.out() + pca.err());
        assertTrue(pca.out().contains("cumulative %") && pca.out().contains("PC9") && pca.out().contains("PC1 "
                + "loadings:"), pca.out());
        assertTrue(Files.size(out.resolve("sdss-star-qso-pca.png")) > 1000);
        PCA back = PCA.load(out.resolve("sdss-star-qso-pca.safetensors"));
        assertEquals(9, back.nComponents());
        assertEquals(60, back.samples());
    }
}
