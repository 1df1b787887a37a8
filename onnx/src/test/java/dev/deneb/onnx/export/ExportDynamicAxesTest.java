package dev.deneb.onnx.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deneb.nn.Conv1d;
import dev.deneb.nn.Layer;
import dev.deneb.nn.attention.TransformerEncoderLayer;
import dev.deneb.nn.attention.TransformerOptions;
import dev.deneb.nn.recurrent.LSTM;
import dev.deneb.nn.recurrent.RecurrentOptions;
import dev.deneb.onnx.ExportOptions;
import dev.deneb.onnx.OnnxExport;
import dev.deneb.onnx.OnnxModel;
import dev.deneb.onnx.OrtOracle;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A sequence length as a second symbolic size: one file runs at any batch and any length, in ONNX Runtime and in
 * Deneb's runner, including reshapes with two sizes to infer (attention's heads folded into the batch), which are
 * computed from the inputs' shapes at run time.
 */
class ExportDynamicAxesTest {
    static final int[][] SIZES = {{2, 5}, {3, 7}, {1, 2}, {4, 2}};

    @Test
    void transformerEncoderWithPaddingMaskAtAnyBatchAndLength() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2, TransformerOptions.defaults()
                .dimFeedforward(16).batchFirst(true).generator(new Generator(1)));
        ModelProto p = check(layer, in -> List.of(layer.forward(in.get(0), in.get(1))),
                (b, t) -> List.of(new Generator(b * 31 + t).normal(0, 1, b, t, 8),
                        ExportAgainstOrtTest.paddingMask(b, t)),
                ExportOptions.defaults().inputNames("x", "padding").dynamicAxis(0, 1, "steps")
                        .dynamicAxis(1, 1, "steps"));
        assertEquals("[batch, steps, 8]", p.graph().outputs().get(0).shape().toString());
    }

    @Test
    void lstmAtAnyBatchAndLength() {
        LSTM lstm = new LSTM(3, 4, RecurrentOptions.defaults().batchFirst(true).bidirectional(true)
                .generator(new Generator(2)));
        check(lstm, in -> {
            var r = lstm.forward(in.get(0), null, null);
            return List.of(r.output(), r.hN(), r.cN()); // the final states are the packed scan's last two steps
        },
                (b, t) -> List.of(new Generator(b * 31 + t).normal(0, 1, b, t, 3)),
                ExportOptions.defaults().dynamicAxis(0, 1, "steps"));
    }

    @Test
    void convolutionThenMeanOverAnyLength() {
        Conv1d conv = new Conv1d(3, 5, 3, Conv1d.Options.defaults().padding(1).generator(new Generator(3)));
        ModelProto p = check(conv, in -> List.of(conv.forward(in.get(0)).mean(new int[] {2}, false)),
                (b, t) -> List.of(new Generator(b * 31 + t).normal(0, 1, b, 3, t + 2)),
                ExportOptions.defaults().dynamicAxis(0, 2, "length"));
        assertEquals("[batch, 5]", p.graph().outputs().get(0).shape().toString());
    }

    private static ModelProto check(Layer m, Function<List<Tensor>, List<Tensor>> f,
                                    BiFunction<Integer, Integer, List<Tensor>> inputs, ExportOptions options) {
        ModelProto p = OnnxExport.toModel(m, f, inputs.apply(2, 3), options);
        OnnxModel imported = OnnxModel.of(p);
        m.eval();
        for (int[] s : SIZES) {
            List<Tensor> in = inputs.apply(s[0], s[1]);
            List<Tensor> wantAll;
            try (var g = GradMode.noGrad()) {
                wantAll = f.apply(in);
            }
            Tensor want = wantAll.get(0);
            String what = "batch " + s[0] + ", length " + s[1];
            List<Tensor> got = OrtOracle.run(p, in);
            for (int i = 0; i < wantAll.size(); i++) {
                OrtOracle.assertClose(what + ", output " + i, wantAll.get(i), got.get(i), ExportAgainstOrtTest.TOL);
            }
            Map<String, Tensor> feed = new LinkedHashMap<>();
            for (int i = 0; i < in.size(); i++) {
                feed.put(imported.inputNames().get(i), in.get(i));
            }
            try (var g = GradMode.noGrad()) {
                OrtOracle.assertClose(what + " imported", want,
                        imported.run(feed).get(imported.outputNames().get(0)), ExportAgainstOrtTest.TOL);
            }
        }
        return p;
    }
}
