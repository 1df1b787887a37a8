package dev.deneb.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Fixtures;
import dev.deneb.nn.Layer;
import dev.deneb.nn.io.SafeTensors;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forward values and every gradient against PyTorch 1.13 (CPU, f32) on the fixed cases written by
 * {@code src/test/python/make_recurrent_reference.py}: parameters load by their PyTorch names, and everything must
 * agree within 1e-4 (absolute).
 */
class RecurrentParityTest {
    static final double TOL = 1e-4;
    private static Map<String, Tensor> ref;
    private static double worst;

    static synchronized Map<String, Tensor> ref() {
        if (ref == null) {
            ref = SafeTensors.load(Fixtures.resource("recurrent/recurrent_reference.safetensors")).tensors();
        }
        return ref;
    }

    static TreeSet<String> sequenceCases() {
        TreeSet<String> out = new TreeSet<>();
        for (String k : ref().keySet()) {
            String c = k.substring(0, k.indexOf('.'));
            if (!c.contains("cell")) {
                out.add(c);
            }
        }
        return out;
    }

    static Map<String, Tensor> group(String c, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        String p = c + "." + prefix + ".";
        ref().forEach((k, v) -> {
            if (k.startsWith(p)) {
                out.put(k.substring(p.length()), v);
            }
        });
        return out;
    }

    static Tensor get(String c, String what) {
        return ref().get(c + "." + what);
    }

    /** The same hyper-parameters as CASES in the Python script. */
    static RecurrentBase build(String c) {
        RecurrentOptions o = RecurrentOptions.defaults().generator(new Generator(1));
        if (c.contains("2layer")) {
            o = o.numLayers(2);
        }
        if (c.contains("_bi")) {
            o = o.bidirectional(true);
        }
        if (c.endsWith("_bf") || c.contains("_bf_")) {
            o = o.batchFirst(true);
        }
        if (c.contains("nobias")) {
            o = o.bias(false);
        }
        if (c.contains("relu")) {
            o = o.nonlinearity(RecurrentOptions.Nonlinearity.RELU);
        }
        return c.startsWith("lstm") ? new LSTM(5, 4, o) : c.startsWith("gru") ? new GRU(5, 4, o) : new RNN(5, 4, o);
    }

    static void close(String c, String what, Tensor actual) {
        Tensor expected = get(c, what);
        assertArrayEquals(expected.shape(), actual.shape(), c + " " + what + ": shape");
        double diff = expected.sub(actual.to(expected.dtype())).abs().max().item();
        synchronized (RecurrentParityTest.class) {
            worst = Math.max(worst, diff);
        }
        Fixtures.assertClose(expected, actual, 0, TOL, c + " " + what);
    }

    @AfterAll
    static void report() {
        System.out.printf("recurrent parity: largest |deneb - torch| over all cases = %.3g%n", worst);
    }

    @ParameterizedTest
    @MethodSource("sequenceCases")
    void matchesPyTorch(String c) {
        runCase(c, false);
    }

    /** The packed cases again, with the lengths given as a mask instead. */
    @ParameterizedTest
    @ValueSource(strings = {"lstm_packed_bi_bf", "gru_packed_2layer_bi", "rnn_packed"})
    void maskGivesTheSameAsLengths(String c) {
        runCase(c, true);
    }

    private void runCase(String c, boolean asMask) {
        RecurrentBase m = build(c);
        m.loadStateDict(group(c, "state"), true);
        Tensor x = get(c, "input").copy().requiresGrad(true);
        Tensor h0 = get(c, "h0") == null ? null : get(c, "h0").copy().requiresGrad(true);
        Tensor c0 = get(c, "c0") == null ? null : get(c, "c0").copy().requiresGrad(true);
        int[] lengths = get(c, "lengths") == null ? null : get(c, "lengths").toIntArray();
        RecurrentOutput r;
        if (asMask) {
            boolean bf = m.options.batchFirst();
            int b = x.size(bf ? 0 : 1);
            int t = x.size(bf ? 1 : 0);
            Tensor mask = Tensor.arange(t).reshape(bf ? new int[] {1, t} : new int[] {t, 1})
                    .lt(Tensor.of(lengths).reshape(bf ? new int[] {b, 1} : new int[] {1, b}).to(DType.I64));
            r = m instanceof LSTM l ? l.forward(x, h0, c0, mask) : m instanceof GRU gr ? gr.forward(x, h0, mask)
                    : ((RNN) m).forward(x, h0, mask);
        } else {
            r = m instanceof LSTM l ? l.forward(x, h0, c0, lengths) : m instanceof GRU gr ? gr.forward(x, h0, lengths)
                    : ((RNN) m).forward(x, h0, lengths);
        }
        close(c, "output", r.output().detach());
        close(c, "h_n", r.hN().detach());
        Tensor loss = r.output().mul(get(c, "w_out")).sum()
                .add(r.hN().mul(get(c, "w_h")).sum());
        if (r.cN() != null) {
            close(c, "c_n", r.cN().detach());
            loss = loss.add(r.cN().mul(get(c, "w_c")).sum());
        }
        loss.backward();
        close(c, "grad.input", x.grad());
        if (h0 != null) {
            close(c, "grad.h0", h0.grad());
        }
        if (c0 != null) {
            close(c, "grad.c0", c0.grad());
        }
        Map<String, Tensor> params = m.namedParameters();
        assertEquals(group(c, "state").keySet(), params.keySet(), "parameter names");
        params.forEach((n, p) -> close(c, "grad." + n, p.grad()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnncell_tanh", "rnncell_relu", "lstmcell", "grucell"})
    void cellsMatchPyTorch(String c) {
        CellOptions o = CellOptions.defaults().generator(new Generator(1));
        Layer m = switch (c) {
            case "rnncell_tanh" -> new RNNCell(5, 4, o.nonlinearity(RecurrentOptions.Nonlinearity.TANH));
            case "rnncell_relu" -> new RNNCell(5, 4, o.nonlinearity(RecurrentOptions.Nonlinearity.RELU));
            case "lstmcell" -> new LSTMCell(5, 4, o);
            default -> new GRUCell(5, 4, o);
        };
        m.loadStateDict(group(c, "state"), true);
        Tensor x = get(c, "input").copy().requiresGrad(true);
        Tensor h = get(c, "h0").copy().requiresGrad(true);
        Tensor loss;
        if (m instanceof LSTMCell cell) {
            Tensor cs = get(c, "c0").copy().requiresGrad(true);
            HiddenState s = cell.forward(x, new HiddenState(h, cs));
            close(c, "h_n", s.h().detach());
            close(c, "c_n", s.c().detach());
            loss = s.h().mul(get(c, "w_h")).sum().add(s.c().mul(get(c, "w_c")).sum());
            loss.backward();
            close(c, "grad.c0", cs.grad());
        } else {
            Tensor h1 = m instanceof GRUCell gc ? gc.forward(x, h) : ((RNNCell) m).forward(x, h);
            close(c, "h_n", h1.detach());
            h1.mul(get(c, "w_h")).sum().backward();
        }
        close(c, "grad.input", x.grad());
        close(c, "grad.h0", h.grad());
        m.namedParameters().forEach((n, p) -> close(c, "grad." + n, p.grad()));
    }

    @Test
    void everyCaseIsCovered() {
        assertTrue(sequenceCases().size() >= 9, "cases in the reference file: " + sequenceCases());
    }
}
