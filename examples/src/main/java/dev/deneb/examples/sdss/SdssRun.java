package dev.deneb.examples.sdss;

import dev.deneb.data.DataLoader;
import dev.deneb.data.Splits;
import dev.deneb.data.Standardizer;
import dev.deneb.data.TensorDataset;
import dev.deneb.metrics.ClassificationReport;
import dev.deneb.metrics.ConfusionMatrix;
import dev.deneb.metrics.Metrics;
import dev.deneb.nn.Losses;
import dev.deneb.nn.Layer;
import dev.deneb.nn.train.Trainer;
import dev.deneb.nn.train.TrainingHistory;
import dev.deneb.nn.train.ValidationMetric;
import dev.deneb.optim.AdamW;
import dev.deneb.optim.CosineAnnealingLR;
import dev.deneb.tensor.Tensor;
import java.io.PrintStream;
import java.util.function.BiFunction;

/**
 * One training run of the SDSS classifier for one seed: a stratified train/validation/test split (70/10/20 by
 * default) seeded by {@code seed}, a standardiser fitted on the training split only (inputs clipped to ±5 standard
 * deviations after it), class-weighted cross-entropy,
 * AdamW with cosine decay, early stopping on a validation metric, and the test scores of the best epoch.
 */
public final class SdssRun {
    /** Hyper-parameters of a run. */
    public record Settings(int[] hidden, double dropout, double lr, double weightDecay, int batchSize, int maxEpochs,
            int patience, String monitor, boolean classWeights, boolean priorCorrection, double inputClip,
            double[] fractions) {
        public static Settings defaults() {
            return new Settings(new int[] {64, 64}, 0.1, 3e-3, 1e-4, 64, 200, 30, "loss", true, true, 5.0,
                    new double[] {0.7, 0.1, 0.2});
        }
    }

    /** The split as indices into {@link SdssData.Labelled} (sorted). */
    public record Split(long[] train, long[] validation, long[] test) {}

    /** What a run produced: the model, the split, the history and the test labels, probabilities and scores. */
    public record Result(long seed, SdssModel model, Split split, TrainingHistory history, long[] testLabels,
            double[][] testProbs, long[] testPred, Scores scores) {}

    /** The test scores reported for a run (ROC AUC: binary, or one-vs-rest macro for three classes). */
    public record Scores(double accuracy, double balancedAccuracy, double macroF1, double rocAuc,
            double averagePrecision, double logLoss) {
        public static Scores of(long[] y, long[] pred, double[][] probs) {
            int c = probs[0].length;
            return new Scores(Metrics.accuracy(y, pred), Metrics.balancedAccuracy(y, pred),
                    Metrics.f1(y, pred, c, Metrics.Average.MACRO), Metrics.rocAucOvr(y, probs, Metrics.Average.MACRO),
                    Metrics.averagePrecisionOvr(y, probs, Metrics.Average.MACRO), Metrics.logLoss(y, probs));
        }
    }

    private SdssRun() {}

    public static Split split(long[] labels, double[] fractions, long seed) {
        long[][] parts = Splits.stratified(labels, fractions, seed);
        return new Split(parts[0], parts[1], parts[2]);
    }

    /** Trains and evaluates on {@code data}; progress lines go to {@code log} (null for none). */
    public static Result run(SdssData.Labelled data, SdssData.Task task, long seed, Settings s, PrintStream log) {
        return run(data, task, split(data.labels(), s.fractions(), seed), seed, s, log);
    }

    /** Trains on {@code split.train()} (early stopping on its validation part) and scores {@code split.test()}. */
    public static Result run(SdssData.Labelled data, SdssData.Task task, Split split, long seed, Settings s,
            PrintStream log) {
        Tensor.manualSeed(seed);
        Tensor all = data.inputs();
        Tensor y = Tensor.of(data.labels(), data.size());
        Tensor xTrain = all.indexSelect(0, idx(split.train()));
        Standardizer st = Standardizer.fit(xTrain);
        double clip = s.inputClip();
        TensorDataset train = new TensorDataset(SdssModel.prepare(st, clip, xTrain),
                y.indexSelect(0, idx(split.train())));
        TensorDataset val = new TensorDataset(SdssModel.prepare(st, clip, all.indexSelect(0,
                idx(split.validation()))), y.indexSelect(0, idx(split.validation())));
        Tensor xTest = SdssModel.prepare(st, clip, all.indexSelect(0, idx(split.test())));
        long[] yTest = y.indexSelect(0, idx(split.test())).toLongArray();

        int classes = task.classes.size();
        Layer net = SdssModel.mlp(data.features().size(), s.hidden(), s.dropout(), classes);
        Losses.CrossEntropyOptions ce = Losses.CrossEntropyOptions.defaults();
        double[] w = SdssData.balancedWeights(train.targets().toLongArray(), classes);
        if (s.classWeights()) {
            ce = ce.weight(Tensor.of(w, classes).to(dev.deneb.tensor.DType.F32));
        }
        Losses.CrossEntropyOptions options = ce;
        BiFunction<Tensor, Tensor, Tensor> loss = (out, target) -> Losses.crossEntropy(out, target, options);
        AdamW opt = new AdamW(net.parameters(), AdamW.Options.defaults().lr(s.lr()).weightDecay(s.weightDecay()));
        CosineAnnealingLR schedule = new CosineAnnealingLR(opt, s.maxEpochs());
        TrainingHistory history = Trainer.builder(net)
                .loss(loss)
                .optimizerStep(opt::step)
                .trainLoader(DataLoader.builder(train).batchSize(s.batchSize()).shuffle(true).seed(seed).build())
                .validationLoader(DataLoader.builder(val).batchSize(1024).build())
                .metric(monitor(s.monitor()))
                .maxEpochs(s.maxEpochs())
                .patience(s.patience())
                .onEpochEnd(e -> schedule.step())
                .log(log)
                .build()
                .fit();
        if (s.classWeights() && s.priorCorrection()) {
            correctPriors(net, w);
        }
        SdssModel model = new SdssModel(net, st, clip, task, data.features(), s.hidden(), s.dropout());
        double[][] probs = Metrics.rows(Trainer.evaluate(net, DataLoader.builder(
                new TensorDataset(xTest, Tensor.of(yTest, yTest.length))).batchSize(1024).build(), null)
                .outputs().to(dev.deneb.tensor.DType.F64).softmax(1));
        long[] pred = Metrics.argmax(probs);
        return new Result(seed, model, split, history, yTest, probs, pred, Scores.of(yTest, pred, probs));
    }

    /**
     * Undoes the class weights at prediction time (logit adjustment). Weighting the loss by {@code w_c} trains the
     * network towards {@code p_w(c|x) ∝ w_c p(c|x)}: the minority class is favoured, which raises its recall but
     * biases the arg-max and the probabilities. Subtracting {@code log w_c} from the output bias gives back
     * {@code p(c|x)} (calibrated probabilities, arg-max = most probable class); the ranking of one class's scores,
     * hence the binary ROC curve, does not change.
     */
    static void correctPriors(Layer net, double[] weights) {
        dev.deneb.nn.Linear last = null;
        for (Layer m : net.children()) {
            if (m instanceof dev.deneb.nn.Linear l) {
                last = l;
            }
        }
        double[] b = last.bias.toDoubleArray();
        for (int c = 0; c < b.length; c++) {
            b[c] -= Math.log(weights[c]);
        }
        last.bias.detach().copyFrom(Tensor.of(b, b.length).to(last.bias.dtype()));
    }

    /**
     * A cross-validation fold as a split: the fold's test part is the test set, and its training part is divided
     * (stratified, seeded) into training and validation in the proportions of {@code fractions}' first two parts
     * (70:10 by default), the validation part serving early stopping only.
     */
    public static Split split(long[] labels, dev.deneb.data.Fold fold, double[] fractions, long seed) {
        long[] train = fold.train();
        long[] sub = new long[train.length];
        for (int i = 0; i < train.length; i++) {
            sub[i] = labels[(int) train[i]];
        }
        double t = fractions[0] / (fractions[0] + fractions[1]);
        long[][] parts = Splits.stratified(sub, new double[] {t, 1 - t}, seed);
        long[][] mapped = new long[2][];
        for (int p = 0; p < 2; p++) {
            mapped[p] = java.util.Arrays.stream(parts[p]).map(i -> train[(int) i]).sorted().toArray();
        }
        return new Split(mapped[0], mapped[1], fold.test());
    }

    /** {@code loss}, {@code auc}, {@code balanced-accuracy} or {@code accuracy}. */
    public static ValidationMetric monitor(String name) {
        return switch (name) {
            case "loss" -> ValidationMetric.loss();
            case "auc" -> ValidationMetric.rocAuc();
            case "balanced-accuracy" -> ValidationMetric.balancedAccuracy();
            case "accuracy" -> ValidationMetric.accuracy();
            default -> throw new IllegalArgumentException("unknown --monitor '" + name
                    + "': use loss, auc, balanced-accuracy or accuracy");
        };
    }

    static ConfusionMatrix confusion(Result r) {
        return ConfusionMatrix.of(r.testLabels(), r.testPred(), r.model().task().classes.size());
    }

    static ClassificationReport report(Result r) {
        return ClassificationReport.of(confusion(r), r.model().task().classes);
    }

    private static Tensor idx(long[] i) {
        return Tensor.of(i, i.length);
    }
}
