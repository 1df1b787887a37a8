package dev.deneb.examples.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deneb.data.DataPaths;
import dev.deneb.data.Standardizer;
import dev.deneb.examples.cora.CoraData;
import dev.deneb.examples.cora.CoraModels;
import dev.deneb.examples.lightcurves.LightCurves;
import dev.deneb.examples.lightcurves.LightCurvesCommand;
import dev.deneb.examples.mnist.MnistModels;
import dev.deneb.examples.sdss.SdssData;
import dev.deneb.examples.sdss.SdssModel;
import dev.deneb.nn.Layer;
import dev.deneb.nn.io.ModelIO;
import dev.deneb.onnx.OrtOracle;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.onnx.proto.OnnxFormat;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Each example's model, saved as its training command saves it, written by {@code export-onnx} and run by ONNX
 * Runtime: the file's outputs match the Java model (preprocessing included) within 1e-5 relative to scale, at the
 * traced batch size and at another.
 */
class ExportOnnxCommandTest {
    @TempDir
    Path dir;

    @Test
    void mnistCnnAndMlp() {
        for (String m : List.of("cnn", "mlp")) {
            Layer net = m.equals("cnn") ? MnistModels.cnn() : MnistModels.mlp();
            Path w = dir.resolve("mnist-" + m + ".safetensors");
            ModelIO.save(net, Map.of("model", m, "mean", "0.2", "std", "0.35"), w);
            exportAndCompare("mnist", m, w);
        }
    }

    @Test
    void sdssPipelineWithStandardisationAndClip() {
        int f = 9;
        double[] mean = IntStream.range(0, f).mapToDouble(i -> 15 + i).toArray();
        double[] std = IntStream.range(0, f).mapToDouble(i -> 0.5 + 0.1 * i).toArray();
        List<String> names = IntStream.range(0, f).mapToObj(i -> "f" + i).toList();
        SdssModel s = new SdssModel(SdssModel.mlp(f, new int[] {16, 8}, 0.1, 2), Standardizer.of(mean, std), 3.0,
                SdssData.Task.STAR_QSO, names, new int[] {16, 8}, 0.1);
        Path w = dir.resolve("sdss.safetensors");
        s.save(w, Map.of());
        exportAndCompare("sdss", null, w);
    }

    @Test
    void lightCurveTransformerAndFoldedCnn() {
        for (LightCurvesCommand.Model m : List.of(LightCurvesCommand.Model.transformer,
                LightCurvesCommand.Model.cnn)) {
            Layer net = LightCurvesCommand.build(m, new Generator(3));
            Path w = dir.resolve("lightcurves-" + m + ".safetensors");
            ModelIO.save(net, Map.of("model", m.name(), "staticMean", "1.0,2.0,-1.0,0.5", "staticStd",
                    "0.5,1.5,2.0,1.0"), w);
            ExportOnnxCommand cmd = exportAndCompare("lightcurves", m.name(), w, "--steps", "24");
            if (m == LightCurvesCommand.Model.transformer) {
                // The file takes any length: run it on curves of 11 steps.
                cmd.steps = 11;
                compare("lightcurves at 11 steps", cmd.prepare(m.name(), w),
                        OnnxFormat.read(dir.resolve("lightcurves-transformer.onnx")));
            }
        }
        assertEquals(4, LightCurves.STATIC_FEATURES, "the moments above are for four static features");
    }

    @Test
    void coraGcnWithTheGraphInside() {
        Assumptions.assumeTrue(DataPaths.find("cora").isPresent(), "Cora data not found; skipping");
        CoraData d = CoraData.load(DataPaths.require("cora"));
        Layer net = new CoraModels.Gcn(d.numFeatures(), 16, d.numClasses(), 0.5, new Generator(5));
        Path w = dir.resolve("cora-gcn.safetensors");
        ModelIO.save(net, Map.of("model", "gcn"), w);
        exportAndCompare("cora", "gcn", w);
    }

    private ExportOnnxCommand exportAndCompare(String example, String model, Path weights, String... extra) {
        Path out = dir.resolve(example + (model == null ? "" : "-" + model) + ".onnx");
        List<String> args = new java.util.ArrayList<>(List.of(example, "--weights", weights.toString(), "--out",
                out.toString()));
        if (model != null) {
            args.addAll(List.of("--model", model));
        }
        args.addAll(List.of(extra));
        ExportOnnxCommand cmd = new ExportOnnxCommand();
        int rc = new CommandLine(cmd).execute(args.toArray(new String[0]));
        assertEquals(0, rc, "export-onnx " + args);
        compare(example + " " + model, cmd.prepare(model == null ? "" : model, weights), OnnxFormat.read(out));
        return cmd;
    }

    /** ONNX Runtime on the file against the Java model, at two batch sizes when the batch is symbolic. */
    private static void compare(String what, ExportOnnxCommand.Export e, ModelProto proto) {
        e.net().eval();
        int[] batches = e.options().dynamicBatch() ? new int[] {1, 4} : new int[] {1};
        for (int b : batches) {
            List<Tensor> in = e.inputs().apply(b);
            Tensor want;
            try (var s = GradMode.noGrad()) {
                want = e.forward().apply(in).get(0);
            }
            OrtOracle.assertClose(what + " (batch " + b + ")", want, OrtOracle.run(proto, in).get(0), 1e-5);
        }
    }
}
