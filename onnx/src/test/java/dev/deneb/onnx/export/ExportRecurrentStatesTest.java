package dev.deneb.onnx.export;

import dev.deneb.nn.recurrent.GRU;
import dev.deneb.nn.recurrent.LSTM;
import dev.deneb.nn.recurrent.RecurrentOptions;
import dev.deneb.nn.recurrent.RecurrentOutput;
import dev.deneb.onnx.ExportOptions;
import dev.deneb.onnx.OnnxExport;
import dev.deneb.onnx.OrtOracle;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Recurrent layers with initial states given as graph inputs and with per-sequence lengths (ONNX's sequence_lens,
 * packed-sequence semantics in both directions): all outputs and final states match ONNX Runtime.
 */
class ExportRecurrentStatesTest {
    static final int[] LENGTHS = {5, 2, 4};

    @Test
    void lstmWithInitialStatesAndLengths() {
        Generator g = new Generator(11);
        LSTM lstm = new LSTM(3, 4, RecurrentOptions.defaults().batchFirst(true).bidirectional(true).numLayers(2)
                .generator(g));
        Tensor x = g.normal(0, 1, 3, 5, 3);
        Tensor h0 = g.normal(0, 1, 4, 3, 4);
        Tensor c0 = g.normal(0, 1, 4, 3, 4);
        check(lstm, in -> {
            RecurrentOutput r = lstm.forward(in.get(0), in.get(1), in.get(2), LENGTHS);
            return List.of(r.output(), r.hN(), r.cN());
        }, List.of(x, h0, c0));
    }

    @Test
    void gruWithLengths() {
        Generator g = new Generator(12);
        GRU gru = new GRU(3, 4, RecurrentOptions.defaults().bidirectional(true).generator(g));
        Tensor x = g.normal(0, 1, 5, 3, 3); // [T, B, I]
        check(gru, in -> {
            RecurrentOutput r = gru.forward(in.get(0), LENGTHS);
            return List.of(r.output(), r.hN());
        }, List.of(x));
    }

    private static void check(dev.deneb.nn.Layer m, Function<List<Tensor>, List<Tensor>> f, List<Tensor> in) {
        ModelProto p = OnnxExport.toModel(m, f, in, ExportOptions.defaults().dynamicBatch(false));
        m.eval();
        List<Tensor> want;
        try (var s = GradMode.noGrad()) {
            want = f.apply(in);
        }
        List<Tensor> got = OrtOracle.run(p, in);
        for (int i = 0; i < want.size(); i++) {
            OrtOracle.assertClose("output " + i, want.get(i), got.get(i), ExportAgainstOrtTest.TOL);
        }
    }
}
