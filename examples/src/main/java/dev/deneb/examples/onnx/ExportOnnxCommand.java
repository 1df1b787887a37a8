package dev.deneb.examples.onnx;

import dev.deneb.data.DataPaths;
import dev.deneb.examples.cora.CoraData;
import dev.deneb.examples.cora.CoraModels;
import dev.deneb.examples.lightcurves.LightCurveBatch;
import dev.deneb.examples.lightcurves.LightCurveModels;
import dev.deneb.examples.lightcurves.LightCurves;
import dev.deneb.examples.lightcurves.LightCurvesCommand;
import dev.deneb.examples.mnist.MnistModels;
import dev.deneb.examples.sdss.SdssModel;
import dev.deneb.nn.Layer;
import dev.deneb.nn.io.ModelIO;
import dev.deneb.nn.io.SafeTensors;
import dev.deneb.onnx.ExportOptions;
import dev.deneb.onnx.OnnxExport;
import dev.deneb.onnx.OnnxModel;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.onnx.proto.OnnxFormat;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Writes an example's trained model as an ONNX file, with its input preprocessing inside the graph (MNIST's pixel
 * normalisation, SDSS's standardisation and clipping, the light curves' static-feature moments), then runs the file
 * with Deneb's own ONNX runner on random inputs at two batch sizes and reports the largest difference from the Java
 * model.
 */
@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = "Write a trained example model (mnist, sdss, lightcurves, cora) as ONNX (opset 17) and check it.")
public final class ExportOnnxCommand implements Callable<Integer> {
    /** The examples with a model to export. */
    public enum Example { mnist, sdss, lightcurves, cora }

    @Parameters(index = "0", description = "mnist, sdss, lightcurves or cora")
    Example example;

    @Option(names = "--model", description = "which of the example's models: mnist cnn|mlp (default cnn),"
            + " lightcurves transformer|cnn (default transformer), cora gcn|gat (default gcn)")
    String model;

    @Option(names = "--weights", description = "the trained model the example saved (default: runs/<example>-<model>"
            + ".safetensors; sdss: runs/sdss-star-qso.safetensors)")
    Path weights;

    @Option(names = "--out", description = "the ONNX file to write (default: the weights' path with .onnx)")
    Path out;

    @Option(names = "--steps", description = "lightcurves: the sequence length of the example the transformer is traced"
            + " with (the exported graph takes any length; default: ${DEFAULT-VALUE})")
    int steps = 256;

    @Option(names = "--data", description = "cora: the Cora folder (the graph's edges are part of the exported model;"
            + " default: ../shared/data/cora)")
    Path data;

    /** What is exported: the model, its forward over the graph inputs, and inputs for a batch size. */
    record Export(Layer net, Function<List<Tensor>, List<Tensor>> forward, java.util.function.IntFunction<List<Tensor>>
            inputs, ExportOptions options) {}

    @Override
    public Integer call() {
        String m = model != null ? model : switch (example) {
            case mnist -> "cnn";
            case lightcurves -> "transformer";
            case cora -> "gcn";
            case sdss -> "";
        };
        Path w = weights != null ? weights : Path.of("runs", example == Example.sdss ? "sdss-star-qso.safetensors"
                : example + "-" + m + ".safetensors");
        if (!Files.isRegularFile(w)) {
            System.err.println("no trained model at " + w + ": train it first (./deneb " + example
                    + (m.isEmpty() ? "" : " --model " + m) + ") or pass --weights");
            return 2;
        }
        Path file = out != null ? out : w.resolveSibling(w.getFileName().toString().replaceFirst("\\.safetensors$", "")
                + ".onnx");
        Export e = prepare(m, w);
        ModelProto proto = OnnxExport.toModel(e.net(), e.forward(), e.inputs().apply(1), e.options());
        OnnxFormat.write(proto, file);
        System.out.printf(Locale.ROOT, "wrote %s (%,d bytes): %d nodes, %d initializers, inputs %s, outputs %s%n",
                file, sizeOf(file), proto.graph().nodes().size(), proto.graph().initializers().size(),
                proto.graph().inputs().stream().map(v -> v.name() + v.shape()).toList(),
                proto.graph().outputs().stream().map(v -> v.name() + v.shape()).toList());
        check(OnnxModel.load(file), e);
        return 0;
    }

    /** The model of {@code example} (its {@code m}) with the weights in {@code w}, ready to trace. */
    Export prepare(String m, Path w) {
        return switch (example) {
            case mnist -> mnist(m, w);
            case sdss -> sdss(w);
            case lightcurves -> lightcurves(m, w);
            case cora -> cora(m, w);
        };
    }

    /** Runs the written file with Deneb's ONNX runner and compares it with the Java model. */
    private void check(OnnxModel onnx, Export e) {
        e.net().eval();
        int[] batches = e.options().dynamicBatch() ? new int[] {1, 7} : new int[] {1};
        for (int b : batches) {
            List<Tensor> in = e.inputs().apply(b);
            Map<String, Tensor> feed = new LinkedHashMap<>();
            for (int i = 0; i < in.size(); i++) {
                feed.put(onnx.inputNames().get(i), in.get(i));
            }
            double worst = 0;
            try (var s = GradMode.noGrad()) {
                Tensor want = e.forward().apply(in).get(0);
                Tensor got = onnx.run(feed).get(onnx.outputNames().get(0));
                worst = want.sub(got).abs().max().item();
            }
            System.out.printf(Locale.ROOT, "check with Deneb's ONNX runner, %d input row%s: max |difference| %.2e%n",
                    in.get(0).size(0), in.get(0).size(0) == 1 ? "" : "s", worst);
        }
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static Map<String, String> metadata(Path w) {
        return SafeTensors.load(w).metadata();
    }

    /** Pixels in [0, 1] {@code [B, 1, 28, 28]} → logits; the normalisation saved with the weights is in the graph. */
    private static Export mnist(String m, Path w) {
        Layer net = switch (m) {
            case "cnn" -> MnistModels.cnn();
            case "mlp" -> MnistModels.mlp();
            default -> throw new IllegalArgumentException("mnist models are cnn and mlp, got " + m);
        };
        ModelIO.load(net, w, true);
        Map<String, String> meta = metadata(w);
        double mean = Double.parseDouble(meta.getOrDefault("mean", "0.1307"));
        double std = Double.parseDouble(meta.getOrDefault("std", "0.3081"));
        return new Export(net, in -> List.of(net.forward(in.get(0).sub(mean).div(std))),
                b -> List.of(new Generator(b).uniform(0, 1, b, 1, 28, 28)),
                ExportOptions.defaults().inputNames("pixels").outputNames("logits"));
    }

    /** Raw catalogue features {@code [B, F]} → logits; standardisation and clipping are in the graph. */
    private static Export sdss(Path w) {
        SdssModel s = SdssModel.load(w);
        int f = s.features().size();
        return new Export(s.net(), in -> List.of(s.net().forward(SdssModel.prepare(s.standardizer(), s.inputClip(),
                in.get(0)))), b -> List.of(rawLike(s, b, f)),
                ExportOptions.defaults().inputNames("features").outputNames("logits"));
    }

    /** Inputs near the training distribution: the standardiser's mean plus noise of its scale. */
    private static Tensor rawLike(SdssModel s, int b, int f) {
        Tensor z = new Generator(b).normal(0, 1, b, f);
        try (var g = GradMode.noGrad()) {
            return s.standardizer().inverse(z);
        }
    }

    /**
     * Light curves: the transformer takes {@code steps [B, T, 7]}, {@code padding [B, T]} (BOOL, true past a curve's
     * end) and raw {@code statics [B, 4]}, at any batch B and length T; the folded CNN takes {@code folded [B, 2, 32]}
     * and {@code statics}.
     */
    private Export lightcurves(String m, Path w) {
        LightCurvesCommand.Model which = LightCurvesCommand.Model.valueOf(m);
        if (which != LightCurvesCommand.Model.transformer && which != LightCurvesCommand.Model.cnn) {
            throw new IllegalArgumentException("lightcurves: export the transformer or the cnn; the recurrent models"
                    + " skip padding by per-curve lengths read in Java, which a traced graph cannot take as input");
        }
        LightCurveModels.Classifier net = LightCurvesCommand.build(which, new Generator(0));
        ModelIO.load(net, w, true);
        Map<String, String> meta = metadata(w);
        Tensor mean = Tensor.of(parse(meta.get("staticMean")), 1, LightCurves.STATIC_FEATURES).to(DType.F32);
        Tensor std = Tensor.of(parse(meta.get("staticStd")), 1, LightCurves.STATIC_FEATURES).to(DType.F32);
        int t = steps;
        if (which == LightCurvesCommand.Model.transformer) {
            return new Export(net, in -> {
                Tensor padding = in.get(1);
                Tensor valid = padding.to(DType.F32).neg().add(1).unsqueeze(-1);
                Tensor statics = in.get(2).sub(mean).div(std);
                return List.of(net.logits(new LightCurveBatch(in.get(0), null, padding, valid, null, statics, null)));
            }, b -> List.of(new Generator(b).normal(0, 1, b, t, LightCurves.STEP_FEATURES), padding(b, t),
                    new Generator(b + 1).normal(0, 1, b, LightCurves.STATIC_FEATURES).mul(std).add(mean)),
                    ExportOptions.defaults().inputNames("steps", "padding", "statics").outputNames("logits")
                            .dynamicAxis(0, 1, "length").dynamicAxis(1, 1, "length"));
        }
        return new Export(net, in -> List.of(net.logits(new LightCurveBatch(null, null, null, null, in.get(0),
                in.get(1).sub(mean).div(std), null))),
                b -> List.of(new Generator(b).normal(0, 1, b, 2, LightCurves.FOLD_BINS),
                        new Generator(b + 1).normal(0, 1, b, LightCurves.STATIC_FEATURES).mul(std).add(mean)),
                ExportOptions.defaults().inputNames("folded", "statics").outputNames("logits"));
    }

    /** Curve i ends after T - 3·i steps (at least one). */
    private static Tensor padding(int b, int t) {
        boolean[] v = new boolean[b * t];
        for (int i = 0; i < b; i++) {
            int len = Math.max(1, t - 3 * i);
            for (int k = len; k < t; k++) {
                v[i * t + k] = true;
            }
        }
        return Tensor.of(v, b, t);
    }

    private static double[] parse(String csv) {
        if (csv == null) {
            throw new IllegalArgumentException("the light-curve model file has no static-feature moments; retrain it"
                    + " with ./deneb lightcurves");
        }
        return Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    /** Cora: node features {@code [2708, 1433]} → logits; the citation graph is part of the model (fixed shapes). */
    private Export cora(String m, Path w) {
        CoraData d = CoraData.load(data != null ? data : DataPaths.require("cora"));
        CoraModels.GraphNet net = switch (m) {
            case "gcn" -> new CoraModels.Gcn(d.numFeatures(), 16, d.numClasses(), 0.5, new Generator(0));
            case "gat" -> new CoraModels.Gat(d.numFeatures(), 8, 8, d.numClasses(), 1, 0.6, new Generator(0));
            default -> throw new IllegalArgumentException("cora models are gcn and gat, got " + m);
        };
        ModelIO.load(net, w, true);
        Tensor edges = d.edgeIndex();
        return new Export(net, in -> List.of(net.forward(in.get(0), edges)), b -> List.of(d.features()),
                ExportOptions.defaults().dynamicBatch(false).inputNames("features").outputNames("logits"));
    }
}
