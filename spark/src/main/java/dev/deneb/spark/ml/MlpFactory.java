package dev.deneb.spark.ml;

import dev.deneb.nn.Activation;
import dev.deneb.nn.Dropout;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Sequential;
import dev.deneb.spark.ModelFactory;
import dev.deneb.tensor.Generator;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.TaskContext;

/**
 * The multilayer perceptron {@link DenebClassifier} trains: optional {@link Standardize}, then
 * {@code inputs → hidden[0] → … → classes} with ReLU (and dropout, if any) after each hidden layer. It is also the
 * architecture stored with a saved model, so {@link dev.deneb.spark.inference.BatchPredictor} and plain Deneb code
 * can rebuild the network: {@code MlpFactory.fromMetadata(meta).create()}.
 * <pre>{@code
 * MlpFactory f = MlpFactory.of(4, new int[] {16}, 3).dropout(0.1).seed(7);
 * Layer net = f.create();
 * }</pre>
 *
 * @param inputs  features per row
 * @param hidden  hidden layer widths (may be empty: a linear model)
 * @param classes outputs (logits)
 * @param dropout dropout probability after each hidden layer; 0: none
 * @param mean    per-feature means for the {@link Standardize} layer; null: no standardisation
 * @param std     per-feature standard deviations (null exactly when {@code mean} is)
 * @param seed    seed of the initial weights and of the dropout masks (each Spark task draws its own masks from
 *                the seed and its partition index, so ranks differ but runs repeat)
 */
public record MlpFactory(int inputs, int[] hidden, int classes, double dropout, double[] mean, double[] std,
        long seed) implements ModelFactory {
    /** The value of {@code deneb.kind} in a saved model's safetensors metadata. */
    public static final String KIND = "spark-ml-mlp-classifier";

    public MlpFactory {
        if (inputs < 1 || classes < 1) {
            throw new IllegalArgumentException("MlpFactory: inputs and classes must be at least 1, got " + inputs
                    + " and " + classes);
        }
        hidden = hidden.clone();
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("MlpFactory: hidden layer widths must be at least 1, got "
                        + Arrays.toString(hidden));
            }
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("MlpFactory: dropout must be in [0, 1), got " + dropout);
        }
        if ((mean == null) != (std == null) || (mean != null && (mean.length != inputs || std.length != inputs))) {
            throw new IllegalArgumentException("MlpFactory: mean and std must both be null or both hold " + inputs
                    + " values (one per input)");
        }
    }

    /** No dropout, no standardisation, seed 0. */
    public static MlpFactory of(int inputs, int[] hidden, int classes) {
        return new MlpFactory(inputs, hidden, classes, 0, null, null, 0);
    }

    public MlpFactory dropout(double v) {
        return new MlpFactory(inputs, hidden, classes, v, mean, std, seed);
    }

    /** Standardises inputs with these statistics first. */
    public MlpFactory standardized(double[] m, double[] s) {
        return new MlpFactory(inputs, hidden, classes, dropout, m.clone(), s.clone(), seed);
    }

    public MlpFactory seed(long v) {
        return new MlpFactory(inputs, hidden, classes, dropout, mean, std, v);
    }

    public boolean standardizes() {
        return mean != null;
    }

    @Override
    public Layer create() {
        Sequential s = new Sequential();
        if (mean != null) {
            s.add(new Standardize(mean, std));
        }
        // Own generators, not the global one: tasks share a JVM, and a shared generator would make runs differ
        // with thread timing. Weights depend on the seed alone; each task draws its own dropout masks.
        Generator weights = new Generator(seed);
        TaskContext task = TaskContext.get();
        Generator masks = new Generator(seed + 1_000_003L * (task == null ? 1 : task.partitionId() + 1));
        Linear.Options init = Linear.Options.defaults().generator(weights);
        int width = inputs;
        for (int h : hidden) {
            s.add(new Linear(width, h, init));
            s.add(Activation.relu());
            if (dropout > 0) {
                s.add(new Dropout(dropout, Dropout.Options.defaults().generator(masks)));
            }
            width = h;
        }
        s.add(new Linear(width, classes, init));
        return s;
    }

    /** The architecture as safetensors metadata (the statistics themselves live in the state dict). */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("deneb.kind", KIND);
        m.put("inputs", Integer.toString(inputs));
        m.put("hidden", HiddenLayers.format(hidden));
        m.put("classes", Integer.toString(classes));
        m.put("dropout", Double.toString(dropout));
        m.put("standardize", Boolean.toString(mean != null));
        m.put("seed", Long.toString(seed));
        return m;
    }

    /** The architecture described by {@link #metadata()}; standardisation statistics are placeholders (0 and 1). */
    public static MlpFactory fromMetadata(Map<String, String> m) {
        if (!KIND.equals(m.get("deneb.kind"))) {
            throw new IllegalArgumentException("MlpFactory: the metadata's deneb.kind is " + m.get("deneb.kind")
                    + ", expected " + KIND);
        }
        try {
            int inputs = Integer.parseInt(m.get("inputs"));
            MlpFactory f = new MlpFactory(inputs, HiddenLayers.parse(m.get("hidden")),
                    Integer.parseInt(m.get("classes")), Double.parseDouble(m.get("dropout")), null, null,
                    Long.parseLong(m.get("seed")));
            if (Boolean.parseBoolean(m.get("standardize"))) {
                double[] ones = new double[inputs];
                Arrays.fill(ones, 1);
                f = f.standardized(new double[inputs], ones);
            }
            return f;
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("MlpFactory: incomplete or malformed architecture metadata " + m
                    + " (expected inputs, hidden, classes, dropout, standardize, seed)", e);
        }
    }
}
