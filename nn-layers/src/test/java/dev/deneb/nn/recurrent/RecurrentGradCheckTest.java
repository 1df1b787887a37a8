package dev.deneb.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.autograd.GradCheck;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks (f64) of the fused recurrence ops, for every cell type, both directions, with and without
 * a validity mask (variable lengths), with and without biases and initial states.
 */
class RecurrentGradCheckTest {
    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (CellType c : CellType.values()) {
            for (boolean reverse : new boolean[] {false, true}) {
                for (boolean masked : new boolean[] {false, true}) {
                    out.add(Arguments.of(c, reverse, masked, true));
                }
            }
            out.add(Arguments.of(c, false, false, false));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} reverse={1} masked={2} bias/state={3}")
    @MethodSource("cases")
    void fusedRecurrenceGradients(CellType cell, boolean reverse, boolean masked, boolean full) {
        Generator g = new Generator(7 + cell.ordinal());
        int t = 4;
        int b = 3;
        int in = 3;
        int h = 2;
        int gh = cell.gates * h;
        // valid lengths 4, 2, 1 (time-first mask [T, B])
        boolean[] v = new boolean[t * b];
        int[] lengths = {4, 2, 1};
        for (int j = 0; j < b; j++) {
            for (int s = 0; s < lengths[j]; s++) {
                v[s * b + j] = true;
            }
        }
        Tensor valid = masked ? Tensor.of(v, t, b) : null;
        boolean lstm = cell == CellType.LSTM;
        List<Tensor> inputs = new ArrayList<>(List.of(
                g.normal(0, 1, t, b, in), g.normal(0, 0.6, gh, in), g.normal(0, 0.6, gh, h)));
        if (full) {
            inputs.add(g.normal(0, 0.5, gh));
            inputs.add(g.normal(0, 0.5, gh));
            inputs.add(g.normal(0, 0.5, b, h));
            if (lstm) {
                inputs.add(g.normal(0, 0.5, b, h));
            }
        }
        GradCheck.Result r = GradCheck.check(xs -> {
            Tensor bIh = full ? xs.get(3) : null;
            Tensor bHh = full ? xs.get(4) : null;
            Tensor h0 = full ? xs.get(5) : null;
            Tensor c0 = full && lstm ? xs.get(6) : null;
            RecurrentOutput o = Recurrence.layer(cell, xs.get(0), h0, c0, xs.get(1), xs.get(2), bIh, bHh, valid,
                    reverse);
            List<Tensor> parts = new ArrayList<>(List.of(o.output().flatten(), o.hN().flatten()));
            if (o.cN() != null) {
                parts.add(o.cN().flatten());
            }
            return Tensor.cat(0, parts);
        }, inputs, GradCheck.Options.defaults());
        assertTrue(r.passed(), r.message());
    }

    /** The whole module path (2 layers, bidirectional, batch first, lengths) in f64 through the functional ops. */
    @ParameterizedTest
    @MethodSource("moduleCases")
    void stackedBidirectionalLayers(CellType cell) {
        Generator g = new Generator(3);
        int h = 2;
        int gh = cell.gates * h;
        Tensor valid = Tensor.of(new boolean[] {true, true, true, true, false, true}, 3, 2);
        List<Tensor> inputs = List.of(g.normal(0, 1, 3, 2, 3), g.normal(0, 0.6, gh, 3), g.normal(0, 0.6, gh, h),
                g.normal(0, 0.6, gh, 3), g.normal(0, 0.6, gh, h), g.normal(0, 0.6, gh, 2 * h),
                g.normal(0, 0.6, gh, h));
        GradCheck.Result r = GradCheck.check(xs -> {
            Tensor f = Recurrence.layer(cell, xs.get(0), null, null, xs.get(1), xs.get(2), null, null, valid, false)
                    .output();
            Tensor back = Recurrence.layer(cell, xs.get(0), null, null, xs.get(3), xs.get(4), null, null, valid,
                    true).output();
            Tensor l1 = Tensor.cat(2, f, back);
            return Recurrence.layer(cell, l1, null, null, xs.get(5), xs.get(6), null, null, valid, false).hN();
        }, inputs, GradCheck.Options.defaults());
        assertTrue(r.passed(), r.message());
    }

    static List<CellType> moduleCases() {
        return List.of(CellType.values());
    }

    @SuppressWarnings("unused")
    private static final DType F64 = DType.F64;
}
