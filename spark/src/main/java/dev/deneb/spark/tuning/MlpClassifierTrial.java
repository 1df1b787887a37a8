package dev.deneb.spark.tuning;

import dev.deneb.nn.Layer;
import dev.deneb.nn.Losses;
import dev.deneb.optim.Adam;
import dev.deneb.optim.Optimizer;
import dev.deneb.spark.StateBytes;
import dev.deneb.spark.ml.HiddenLayers;
import dev.deneb.spark.ml.MlpFactory;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The built-in {@link Trial}: trains an MLP classifier ({@link MlpFactory}, standardised with the training split's
 * statistics) in one process with Adam and cross-entropy, then reports its accuracy on the validation split with its
 * weights. Both splits are collected to the driver and broadcast once, so they should fit in an executor's memory
 * (hyper-parameter search usually runs on a sample). Every trial starts from the same seed, so trials differ only in
 * their parameters.
 *
 * <p>Parameters it understands (any may be left out; defaults in brackets): {@code hiddenLayers} ("64,32"; text,
 * {@code int[]} or one width), {@code learningRate} (1e-3), {@code epochs} (10), {@code batchSize} (64),
 * {@code dropout} (0).
 * <pre>{@code
 * try (MlpClassifierTrial trial = MlpClassifierTrial.create(train, validation)) {
 *     SearchResult r = HyperparameterSearch.grid(new SearchSpace().choice("learningRate", 1e-3, 1e-2))
 *             .metricName("accuracy").run(spark, trial);
 *     Layer best = StateBytes.load(trial.factory(r.best().params()).create(), r.best().state());
 * }
 * }</pre>
 */
public final class MlpClassifierTrial implements Trial, AutoCloseable {
    private static final Set<String> KNOWN = Set.of("hiddenLayers", "learningRate", "epochs", "batchSize", "dropout");

    private final Broadcast<TrialData> train;
    private final Broadcast<TrialData> validation;
    private final int classes;
    private final double[] mean;
    private final double[] std;
    private final long seed;

    private MlpClassifierTrial(Broadcast<TrialData> train, Broadcast<TrialData> validation, int classes,
            double[] mean, double[] std, long seed) {
        this.train = train;
        this.validation = validation;
        this.classes = classes;
        this.mean = mean;
        this.std = std;
        this.seed = seed;
    }

    /** Columns {@code features} and {@code label}, seed 0. */
    public static MlpClassifierTrial create(Dataset<Row> train, Dataset<Row> validation) {
        return create(train, validation, "features", "label", 0);
    }

    public static MlpClassifierTrial create(Dataset<Row> train, Dataset<Row> validation, String featuresCol,
            String labelCol, long seed) {
        TrialData t = TrialData.collect(train, featuresCol, labelCol, "training");
        TrialData v = TrialData.collect(validation, featuresCol, labelCol, "validation");
        if (t.width() != v.width()) {
            throw new IllegalArgumentException("MlpClassifierTrial: the training rows have " + t.width()
                    + " features but the validation rows " + v.width());
        }
        long maxLabel = Math.max(max(t.labels()), max(v.labels()));
        if (maxLabel < 1) {
            throw new IllegalArgumentException("MlpClassifierTrial: every label is 0; a classifier needs at least two"
                    + " classes");
        }
        double[][] stats = statistics(t);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(train.sparkSession().sparkContext());
        return new MlpClassifierTrial(sc.broadcast(t), sc.broadcast(v), (int) maxLabel + 1, stats[0], stats[1], seed);
    }

    /** The network a trial with {@code params} trains (load the trial's state into {@code create()}). */
    public MlpFactory factory(Map<String, Object> params) {
        return MlpFactory.of(train.value().width(), hidden(params.get("hiddenLayers")), classes)
                .dropout(number(params, "dropout", 0).doubleValue()).standardized(mean, std).seed(seed);
    }

    @Override
    public void check(Map<String, Object> params) {
        for (String k : params.keySet()) {
            if (!KNOWN.contains(k)) {
                throw new IllegalArgumentException("MlpClassifierTrial: unknown parameter '" + k + "'; it understands "
                        + KNOWN);
            }
        }
        factory(params);
        if (number(params, "learningRate", 1e-3).doubleValue() <= 0 || number(params, "epochs", 10).intValue() < 1
                || number(params, "batchSize", 64).intValue() < 1) {
            throw new IllegalArgumentException("MlpClassifierTrial: learningRate must be > 0 and epochs and batchSize"
                    + " at least 1, got " + params);
        }
    }

    @Override
    public TrialOutcome run(Map<String, Object> params) {
        Layer model = factory(params).create();
        Optimizer opt = new Adam(model.parameters(),
                Adam.Options.defaults().lr(number(params, "learningRate", 1e-3).doubleValue()));
        TrialData data = train.value();
        int batch = number(params, "batchSize", 64).intValue();
        int epochs = number(params, "epochs", 10).intValue();
        model.train();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] order = shuffled(data.rows(), new SplittableRandom(seed * 31 + epoch));
            for (int from = 0; from < order.length; from += batch) {
                int[] index = Arrays.copyOfRange(order, from, Math.min(order.length, from + batch));
                model.zeroGrad();
                Tensor loss = Losses.crossEntropy(model.forward(data.inputs(index)), data.targets(index));
                loss.backward();
                opt.step();
            }
        }
        model.eval();
        return TrialOutcome.of(accuracy(model, validation.value()), StateBytes.of(model));
    }

    /** Frees the broadcast splits on the executors and the driver. */
    @Override
    public void close() {
        train.destroy();
        validation.destroy();
    }

    private static double accuracy(Layer model, TrialData v) {
        int[] all = IntStream.range(0, v.rows()).toArray();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor predicted = model.forward(v.inputs(all)).argmax(1);
            return predicted.eq(v.targets(all)).sum().item() / v.rows();
        }
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        int[] order = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Per-feature mean and population std of the training split (std 1 for a constant feature). */
    private static double[][] statistics(TrialData t) {
        int w = t.width();
        int n = t.rows();
        double[] mean = new double[w];
        double[] std = new double[w];
        float[] x = t.features();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w; j++) {
                mean[j] += x[i * w + j];
            }
        }
        for (int j = 0; j < w; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w; j++) {
                double d = x[i * w + j] - mean[j];
                std[j] += d * d;
            }
        }
        for (int j = 0; j < w; j++) {
            double s = Math.sqrt(std[j] / n);
            std[j] = s > 1e-12 ? s : 1;
        }
        return new double[][] {mean, std};
    }

    private static long max(long[] v) {
        long m = -1;
        for (long x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static int[] hidden(Object v) {
        if (v == null) {
            return new int[] {64, 32};
        }
        if (v instanceof int[] a) {
            return a.clone();
        }
        if (v instanceof Number n) {
            return new int[] {n.intValue()};
        }
        return HiddenLayers.parse(v.toString());
    }

    private static Number number(Map<String, Object> params, String key, Number fallback) {
        Object v = params.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException("MlpClassifierTrial: parameter '" + key + "' must be a number, got " + v
                + " (" + v.getClass().getSimpleName() + ")");
    }
}
