package dev.deneb.examples.sdss;

import dev.deneb.tensor.GradMode;
import dev.deneb.data.Standardizer;
import dev.deneb.nn.Activation;
import dev.deneb.nn.Dropout;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Sequential;
import dev.deneb.nn.io.SafeTensors;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained SDSS classifier with everything needed to apply it: the MLP, the standardiser fitted on its training
 * split, the class names and the feature names (the inputs it was trained on, in order). It is saved as one safetensors file: the network's state dict under
 * {@code model.*}, the standardiser as f64 tensors {@code standardizer.mean} and {@code standardizer.std}, and the
 * rest in the metadata ({@code deneb.kind=sdss-classifier}, {@code task}, {@code classes}, {@code features},
 * {@code hidden}, {@code dropout}, {@code input_clip}, plus free-form notes such as the test scores).
 *
 * <p>Inputs are standardised and then clipped to {@code [-inputClip, inputClip]} (0 = no clipping): a few objects
 * have a broken magnitude (i = 28.2 beside u = 13.6) and an MLP would otherwise extrapolate far outside the range it
 * was trained on and give them confident, arbitrary scores.
 */
public record SdssModel(Layer net, Standardizer standardizer, double inputClip, SdssData.Task task,
        List<String> features, int[] hidden, double dropout) {
    public static final String KIND = "sdss-classifier";

    /** An MLP {@code inputs → hidden[0] → … → classes} with ReLU and dropout after each hidden layer. */
    public static Layer mlp(int inputs, int[] hidden, double dropout, int classes) {
        Sequential s = new Sequential();
        int width = inputs;
        for (int h : hidden) {
            s.add(new Linear(width, h));
            s.add(Activation.relu());
            if (dropout > 0) {
                s.add(new Dropout(dropout));
            }
            width = h;
        }
        s.add(new Linear(width, classes));
        return s;
    }

    /** The network's input for raw features {@code [N, F]}: standardised, then clipped. */
    public static Tensor prepare(Standardizer standardizer, double inputClip, Tensor raw) {
        Tensor z = standardizer.transform(raw);
        return inputClip > 0 ? z.clamp(-inputClip, inputClip) : z;
    }

    /** Class probabilities {@code [N][C]} of raw (unstandardised) inputs {@code [N, F]}. */
    public double[][] predictProba(Tensor inputs) {
        net.eval();
        Tensor probs;
        try (GradMode.Scope s = GradMode.noGrad()) {
            probs = net.forward(prepare(standardizer, inputClip, inputs)).detach().to(DType.F64)
                    .softmax(1);
        }
        return dev.deneb.metrics.Metrics.rows(probs);
    }

    /** Standardised inputs beyond ±this many σ of the training split are out of distribution: the clip, or 5. */
    public double oodThreshold() {
        return inputClip > 0 ? inputClip : 5;
    }

    /**
     * For each row of raw inputs {@code [N, F]}, the features whose standardised value lies beyond
     * ±{@link #oodThreshold()} (an empty list when the row is inside the training distribution). Such inputs are
     * clipped, so the model's score for them is an extrapolation.
     */
    public List<List<String>> outOfDistribution(Tensor inputs) {
        double[] z = standardizer.transform(inputs.to(DType.F64)).toDoubleArray();
        int f = features.size();
        double t = oodThreshold();
        List<List<String>> out = new java.util.ArrayList<>();
        for (int r = 0; r < z.length / f; r++) {
            List<String> beyond = new java.util.ArrayList<>();
            for (int j = 0; j < f; j++) {
                if (Math.abs(z[r * f + j]) > t) {
                    beyond.add(features.get(j));
                }
            }
            out.add(beyond);
        }
        return out;
    }

    /** Writes the bundle to {@code file} (a {@code .safetensors} path). */
    public void save(Path file, Map<String, String> notes) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        net.stateDict().forEach((k, t) -> tensors.put("model." + k, t));
        tensors.put("standardizer.mean", Tensor.of(standardizer.mean(), standardizer.features()));
        tensors.put("standardizer.std", Tensor.of(standardizer.std(), standardizer.features()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("deneb.kind", KIND);
        meta.put("task", task.id);
        meta.put("classes", String.join(",", task.classes));
        meta.put("features", String.join(",", features));
        meta.put("hidden", String.join(",", Arrays.stream(hidden).mapToObj(Integer::toString).toList()));
        meta.put("dropout", Double.toString(dropout));
        meta.put("input_clip", Double.toString(inputClip));
        meta.putAll(notes);
        SafeTensors.save(tensors, meta, file);
    }

    /** Reads a bundle written by {@link #save}; {@code path} is the file or a folder holding exactly one such file. */
    public static SdssModel load(Path path) {
        Path file = resolve(path);
        SafeTensors.Contents c = SafeTensors.load(file);
        Map<String, String> meta = c.metadata();
        if (!KIND.equals(meta.get("deneb.kind"))) {
            throw new IllegalArgumentException(file + " is not an SDSS model bundle (metadata deneb.kind is "
                    + meta.get("deneb.kind") + ", expected " + KIND + ")");
        }
        SdssData.Task task = SdssData.Task.parse(meta.get("task"));
        List<String> features = List.of(meta.get("features").split(","));
        int[] hidden = Arrays.stream(meta.get("hidden").split(",")).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        double dropout = Double.parseDouble(meta.get("dropout"));
        Layer net = mlp(features.size(), hidden, dropout, task.classes.size());
        Map<String, Tensor> state = new LinkedHashMap<>();
        c.tensors().forEach((k, t) -> {
            if (k.startsWith("model.")) {
                state.put(k.substring("model.".length()), t);
            }
        });
        net.loadStateDict(state, true);
        net.eval();
        Standardizer st = Standardizer.of(c.tensors().get("standardizer.mean").toDoubleArray(),
                c.tensors().get("standardizer.std").toDoubleArray());
        if (st.features() != features.size()) {
            throw new IllegalArgumentException(file + ": the metadata names " + features.size() + " features "
                    + features + " but the standardiser has " + st.features());
        }
        double clip = Double.parseDouble(meta.getOrDefault("input_clip", "0"));
        return new SdssModel(net, st, clip, task, features, hidden, dropout);
    }

    private static Path resolve(Path path) {
        if (!Files.isDirectory(path)) {
            return path;
        }
        try (var files = Files.list(path)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().startsWith("sdss-")
                    && p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
            if (found.size() != 1) {
                throw new IllegalArgumentException("expected one sdss-*.safetensors model in " + path + ", found "
                        + found.stream().map(p -> p.getFileName().toString()).toList()
                        + "; pass the file itself with --model");
            }
            return found.get(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + path, e);
        }
    }
}
