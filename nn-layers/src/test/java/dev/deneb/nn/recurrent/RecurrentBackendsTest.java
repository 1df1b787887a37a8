package dev.deneb.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.Backends;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The recurrence in f32 on the fast CPU backend (its fused LSTM and GRU steps, vector part and scalar tail) against
 * the same on the reference backend (the composed steps): outputs, final states and every gradient, both directions,
 * with and without a validity mask.
 */
class RecurrentBackendsTest {
    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (CellType c : new CellType[] {CellType.GRU, CellType.LSTM}) {
            for (boolean reverse : new boolean[] {false, true}) {
                for (boolean masked : new boolean[] {false, true}) {
                    out.add(Arguments.of(c, reverse, masked));
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} reverse={1} masked={2}")
    @MethodSource("cases")
    void fastAndReferenceBackendsAgree(CellType cell, boolean reverse, boolean masked) {
        int t = 5;
        int b = 4;
        int in = 6;
        int h = 37;
        int gh = cell.gates * h;
        Generator g = new Generator(11 + cell.ordinal());
        List<Tensor> base = List.of(g.normal(0, 1, t, b, in), g.normal(0, 0.3, gh, in), g.normal(0, 0.3, gh, h),
                g.normal(0, 0.3, gh), g.normal(0, 0.3, gh), g.normal(0, 0.5, b, h), g.normal(0, 0.5, b, h),
                g.normal(0, 1, t, b, h));
        boolean[] v = new boolean[t * b];
        int[] lengths = {5, 3, 1, 4};
        for (int j = 0; j < b; j++) {
            for (int s = 0; s < lengths[j]; s++) {
                v[s * b + j] = true;
            }
        }
        Tensor valid = masked ? Tensor.of(v, t, b) : null;
        List<Tensor> fast = run(cell, Backends.cpu(), base, valid, reverse);
        List<Tensor> ref = run(cell, Backends.reference(), base, valid, reverse);
        String[] names = {"output", "hN", "d input", "d weight_ih", "d weight_hh", "d bias_ih", "d bias_hh", "d h0",
                "d c0"};
        for (int k = 0; k < ref.size(); k++) {
            assertClose(names[k], ref.get(k), fast.get(k));
        }
    }

    private static List<Tensor> run(CellType cell, Backend backend, List<Tensor> base, Tensor valid,
                                    boolean reverse) {
        boolean lstm = cell == CellType.LSTM;
        List<Tensor> xs = new ArrayList<>();
        for (int k = 0; k < 7; k++) {
            xs.add(base.get(k).to(backend).copy().requiresGrad(true));
        }
        Tensor c0 = lstm ? xs.get(6) : null;
        RecurrentOutput o = Recurrence.layer(cell, xs.get(0), xs.get(5), c0, xs.get(1), xs.get(2), xs.get(3),
                xs.get(4), valid == null ? null : valid.to(backend), reverse);
        Tensor loss = o.output().mul(base.get(7).to(backend)).sum().add(o.hN().sum());
        loss.backward();
        List<Tensor> out = new ArrayList<>(List.of(o.output().detach(), o.hN().detach()));
        for (int k = 0; k < (lstm ? 7 : 6); k++) {
            out.add(xs.get(k).grad());
        }
        return out;
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            double tol = 1e-5 + 1e-4 * Math.abs(e[i]);
            assertTrue(Math.abs(e[i] - a[i]) <= tol, what + "[" + i + "]: expected " + e[i] + ", got " + a[i]);
        }
    }
}
