package dev.deneb.nn.train;

import dev.deneb.data.Fold;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a fit-and-score function on each fold of a k-fold split ({@link dev.deneb.data.Splits#stratifiedKFold}) and
 * gathers the scores. What a "model" is stays with the caller: the function gets the fold's train and test indices,
 * fits whatever it wants on the train part (a fresh model per fold, seeded) and returns named scores on the test
 * part. Folds run one after another; a progress line per fold goes to {@code log}.
 */
public final class CrossValidation {
    private CrossValidation() {}

    /** Fits on {@code fold.train()} and returns scores on {@code fold.test()}, e.g. {@code {"accuracy": 0.98}}. */
    @FunctionalInterface
    public interface FoldScorer {
        Map<String, Double> score(Fold fold);
    }

    /** Scores every fold in order; {@code log} (null for none) gets one line per fold with its scores and time. */
    public static CvScores run(List<Fold> folds, FoldScorer scorer, PrintStream log) {
        List<Map<String, Double>> perFold = new ArrayList<>();
        for (Fold f : folds) {
            long start = System.nanoTime();
            Map<String, Double> s = scorer.score(f);
            perFold.add(s);
            if (log != null) {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  fold %d/%d (%d train, %d test):",
                        f.index() + 1, folds.size(), f.train().length, f.test().length));
                s.forEach((name, v) -> sb.append(String.format(Locale.ROOT, "  %s %.4f", name, v)));
                log.println(sb.append(String.format(Locale.ROOT, "  %.1f s", (System.nanoTime() - start) / 1e9)));
            }
        }
        return CvScores.of(perFold);
    }
}
