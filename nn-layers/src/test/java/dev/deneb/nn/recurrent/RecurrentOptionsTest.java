package dev.deneb.nn.recurrent;

import static dev.deneb.nn.OptionsAssertions.assertRejected;
import static dev.deneb.nn.OptionsAssertions.assertSetter;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Init;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RecurrentOptions and CellOptions: PyTorch's defaults, setters, rejected values, layers honouring them. */
class RecurrentOptionsTest {
    private final Generator g = new Generator(2);

    @Test
    void recurrentDefaultsAndSetters() {
        RecurrentOptions d = RecurrentOptions.defaults();
        assertEquals(new RecurrentOptions(1, RecurrentOptions.Nonlinearity.TANH, true, false, 0.0, false,
                Generator.global()), d);
        assertEquals(1, d.directions());
        assertSetter(d, o -> o.numLayers(3), RecurrentOptions::numLayers, 3);
        assertSetter(d, o -> o.nonlinearity(RecurrentOptions.Nonlinearity.RELU), RecurrentOptions::nonlinearity,
                RecurrentOptions.Nonlinearity.RELU);
        assertSetter(d, o -> o.bias(false), RecurrentOptions::bias, false);
        assertSetter(d, o -> o.batchFirst(true), RecurrentOptions::batchFirst, true);
        assertSetter(d, o -> o.dropout(0.3), RecurrentOptions::dropout, 0.3);
        assertSetter(d, o -> o.bidirectional(true), RecurrentOptions::bidirectional, true);
        assertSetter(d, o -> o.generator(g), RecurrentOptions::generator, g);
        assertEquals(2, d.bidirectional(true).directions());
        RecurrentOptions all = new RecurrentOptions(3, RecurrentOptions.Nonlinearity.RELU, false, true, 0.3, true, g);
        assertEquals(all, d.numLayers(3).nonlinearity(RecurrentOptions.Nonlinearity.RELU).bias(false).batchFirst(true)
                .dropout(0.3).bidirectional(true).generator(g));
        assertEquals(all, d.generator(g).bidirectional(true).dropout(0.3).batchFirst(true).bias(false)
                .nonlinearity(RecurrentOptions.Nonlinearity.RELU).numLayers(3));
    }

    @Test
    void recurrentBadValues() {
        RecurrentOptions d = RecurrentOptions.defaults();
        assertRejected(() -> d.numLayers(0), "RecurrentOptions", "numLayers", "0");
        assertRejected(() -> d.dropout(Double.NaN), "RecurrentOptions", "dropout", "NaN");
        assertRejected(() -> d.nonlinearity(null), "RecurrentOptions", "nonlinearity");
        assertRejected(() -> d.generator(null), "RecurrentOptions", "generator");
        assertRejected(() -> new GRU(0, 4), "GRU", "inputSize=0");
        assertRejected(() -> new RNN(3, 4, null), "RNN", "options");
        assertRejected(() -> new LSTM(3, 4, d.nonlinearity(RecurrentOptions.Nonlinearity.RELU)), "LSTM", "RELU",
                "RNN");
        assertRejected(() -> new GRU(3, 4, d.nonlinearity(RecurrentOptions.Nonlinearity.RELU)), "GRU", "RELU");
    }

    @Test
    void recurrentLayersHonourTheOptions() {
        LSTM lstm = new LSTM(3, 5, RecurrentOptions.defaults().numLayers(2).bidirectional(true).bias(false)
                .batchFirst(true));
        assertEquals(3, lstm.inputSize);
        assertEquals(5, lstm.hiddenSize);
        Map<String, Tensor> p = lstm.namedParameters();
        assertEquals(8, p.size());
        assertArrayEquals(new int[] {20, 10}, p.get("weight_ih_l1_reverse").shape());
        assertArrayEquals(new int[] {2, 7, 10}, lstm.forward(Tensor.zeros(2, 7, 3)).shape());
        RNN relu = new RNN(2, 3, RecurrentOptions.defaults().nonlinearity(RecurrentOptions.Nonlinearity.RELU));
        Tensor out = relu.forward(Tensor.randn(4, 1, 2));
        assertTrue(out.min().item() >= 0, "relu outputs are >= 0");
        // the generator in the options draws weight_ih, weight_hh, bias_ih, bias_hh in that order
        GRU gru = new GRU(2, 3, RecurrentOptions.defaults().generator(new Generator(8)));
        Generator same = new Generator(8);
        double k = 1 / Math.sqrt(3);
        assertArrayEquals(Init.uniform(same, -k, k, 9, 2).toFloatArray(), gru.namedParameters().get("weight_ih_l0")
                .toFloatArray());
        assertArrayEquals(Init.uniform(same, -k, k, 9, 3).toFloatArray(), gru.namedParameters().get("weight_hh_l0")
                .toFloatArray());
    }

    @Test
    void cells() {
        CellOptions d = CellOptions.defaults();
        assertEquals(new CellOptions(true, RecurrentOptions.Nonlinearity.TANH, Generator.global()), d);
        assertSetter(d, o -> o.bias(false), CellOptions::bias, false);
        assertSetter(d, o -> o.nonlinearity(RecurrentOptions.Nonlinearity.RELU), CellOptions::nonlinearity,
                RecurrentOptions.Nonlinearity.RELU);
        assertSetter(d, o -> o.generator(g), CellOptions::generator, g);
        CellOptions all = new CellOptions(false, RecurrentOptions.Nonlinearity.RELU, g);
        assertEquals(all, d.bias(false).nonlinearity(RecurrentOptions.Nonlinearity.RELU).generator(g));
        assertEquals(all, d.generator(g).nonlinearity(RecurrentOptions.Nonlinearity.RELU).bias(false));
        assertRejected(() -> d.nonlinearity(null), "CellOptions", "nonlinearity");
        assertRejected(() -> d.generator(null), "CellOptions", "generator");
        assertRejected(() -> new LSTMCell(3, 4, d.nonlinearity(RecurrentOptions.Nonlinearity.RELU)), "LSTMCell",
                "RELU");
        assertRejected(() -> new GRUCell(3, 4, null), "GRUCell", "options");
        assertEquals(2, new GRUCell(3, 4, d.bias(false)).namedParameters().size());
        RNNCell relu = new RNNCell(2, 3, d.nonlinearity(RecurrentOptions.Nonlinearity.RELU));
        assertTrue(relu.forward(Tensor.randn(5, 2)).min().item() >= 0, "relu outputs are >= 0");
        LSTMCell a = new LSTMCell(2, 3, d.generator(new Generator(4)));
        LSTMCell b = new LSTMCell(2, 3, d.generator(new Generator(4)));
        assertArrayEquals(a.weightHh.toFloatArray(), b.weightHh.toFloatArray());
    }
}
