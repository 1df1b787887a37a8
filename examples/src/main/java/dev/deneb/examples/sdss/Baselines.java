package dev.deneb.examples.sdss;

import dev.deneb.data.Csv;
import dev.deneb.data.CsvTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code examples/scripts/sdss_baselines.py} (scikit-learn: random forest, gradient boosting, logistic
 * regression) on the very split the Java run used, read from the exported split file, and reads its results back.
 */
public final class Baselines {
    /** The script, relative to the repository root. */
    public static final String SCRIPT = "examples/scripts/sdss_baselines.py";

    private Baselines() {}

    /** One model on one seed: the same scores as {@link SdssRun.Scores}. */
    public record Row(String model, long seed, SdssRun.Scores scores) {}

    /** The script found walking up from the working directory, or null. */
    public static Path findScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(SCRIPT);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** Runs the script and returns its rows, or throws with its output when it fails. */
    public static List<Row> run(String python, Path script, Path csv, Path splits, String task, Path resultCsv)
            throws IOException, InterruptedException {
        List<String> cmd = List.of(python, script.toString(), "--csv", csv.toString(), "--splits", splits.toString(),
                "--task", task, "--out", resultCsv.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("the baseline script failed (" + String.join(" ", cmd) + "):\n" + output);
        }
        return read(resultCsv);
    }

    /** Reads a result CSV written by the script: {@code model,seed,accuracy,...,log_loss}. */
    public static List<Row> read(Path resultCsv) {
        CsvTable t = Csv.read(resultCsv);
        String[] model = t.strings("model");
        long[] seed = t.longs("seed");
        double[][] v = {t.doubles("accuracy"), t.doubles("balanced_accuracy"), t.doubles("macro_f1"),
                t.doubles("roc_auc"), t.doubles("average_precision"), t.doubles("log_loss")};
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < t.rows(); r++) {
            rows.add(new Row(model[r], seed[r], new SdssRun.Scores(v[0][r], v[1][r], v[2][r], v[3][r], v[4][r],
                    v[5][r])));
        }
        return rows;
    }

    /** The rows grouped by model, in first-seen order. */
    public static Map<String, List<SdssRun.Scores>> byModel(List<Row> rows) {
        Map<String, List<SdssRun.Scores>> out = new LinkedHashMap<>();
        for (Row r : rows) {
            out.computeIfAbsent(r.model(), k -> new ArrayList<>()).add(r.scores());
        }
        return out;
    }
}
