package dev.deneb.onnx.runtime;

import dev.deneb.nn.recurrent.CellType;
import dev.deneb.nn.recurrent.Recurrence;
import dev.deneb.nn.recurrent.RecurrentOutput;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * LSTM, GRU and RNN in ONNX's layouts. Each direction runs on Deneb's {@link Recurrence} (a scan with a
 * hand-written backward pass) after the gates are reordered to PyTorch's layout; a GRU with
 * {@code linear_before_reset = 0}, which PyTorch has no kernel for, runs step by step with tensor ops.
 */
final class RecurrentOps {
    private RecurrentOps() {}

    /** ONNX's LSTM gates i, o, f, c in PyTorch's order i, f, g(c), o. */
    private static final int[] LSTM_ORDER = {0, 2, 3, 1};
    /** ONNX's GRU gates z, r, h in PyTorch's order r, z, n(h). */
    private static final int[] GRU_ORDER = {1, 0, 2};

    static void register(OpRegistry r) {
        r.add("LSTM", 3, 8, 3, c -> run(c, CellType.LSTM, 4));
        r.add("GRU", 3, 6, 2, c -> run(c, CellType.GRU, 3));
        r.add("RNN", 3, 6, 2, c -> run(c, rnnCell(c), 1));
    }

    private static CellType rnnCell(OpCall c) {
        String[] acts = activations(c);
        String act = acts.length == 0 ? "Tanh" : acts[0];
        for (String a : acts) {
            if (!a.equals(act)) {
                throw c.error("different activations per direction " + Arrays.toString(acts) + " are not supported");
            }
        }
        return switch (act) {
            case "Tanh" -> CellType.RNN_TANH;
            case "Relu" -> CellType.RNN_RELU;
            default -> throw c.error("activation " + act + " is not supported (Tanh or Relu)");
        };
    }

    private static String[] activations(OpCall c) {
        var a = c.attribute("activations");
        if (a == null) {
            return new String[0];
        }
        return a.strings().stream().map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8))
                .toArray(String[]::new);
    }

    /** Refuses the variants Deneb does not compute: custom activations, clipping, coupled gates, peepholes. */
    private static void checkVariant(OpCall c, CellType cell) {
        String[] expected = switch (cell) {
            case LSTM -> new String[] {"Sigmoid", "Tanh", "Tanh"};
            case GRU -> new String[] {"Sigmoid", "Tanh"};
            default -> null;
        };
        String[] acts = activations(c);
        if (expected != null && acts.length > 0) {
            for (int k = 0; k < acts.length; k++) {
                if (!acts[k].equalsIgnoreCase(expected[k % expected.length])) {
                    throw c.error("activations " + Arrays.toString(acts) + " are not supported (only the defaults "
                            + Arrays.toString(expected) + ")");
                }
            }
        }
        if (c.hasAttribute("clip")) {
            throw c.error("the clip attribute is not supported");
        }
        if (c.intAttr("input_forget", 0) != 0) {
            throw c.error("input_forget 1 (coupled input and forget gates) is not supported");
        }
        if (cell == CellType.LSTM && c.optionalInput(7) != null) {
            throw c.error("peephole weights (input P) are not supported");
        }
    }

    private static Tensor[] run(OpCall c, CellType cell, int gates) {
        checkVariant(c, cell);
        boolean batchFirst = c.intAttr("layout", 0) == 1;
        String direction = c.stringAttr("direction", "forward");
        int dirs = switch (direction) {
            case "forward", "reverse" -> 1;
            case "bidirectional" -> 2;
            default -> throw c.error("direction '" + direction + "' is not forward, reverse or bidirectional");
        };
        Tensor x = c.input(0);
        if (x.dim() != 3) {
            throw c.error("X should be " + (batchFirst ? "[B, T, I]" : "[T, B, I]") + ", got "
                    + Arrays.toString(x.shape()));
        }
        if (batchFirst) {
            x = x.transpose(0, 1);
        }
        int steps = x.size(0);
        int batch = x.size(1);
        int inputSize = x.size(2);
        Tensor w = c.input(1);
        Tensor r = c.input(2);
        int hidden = r.dim() == 3 ? r.size(2) : -1;
        long declared = c.intAttr("hidden_size", hidden);
        if (hidden < 1 || declared != hidden || !Arrays.equals(w.shape(), new int[] {dirs, gates * hidden, inputSize})
                || !Arrays.equals(r.shape(), new int[] {dirs, gates * hidden, hidden})) {
            throw c.error("expected W [" + dirs + ", " + gates + "*H, " + inputSize + "] and R [" + dirs + ", " + gates
                    + "*H, H] with H = hidden_size " + declared + ", got " + Arrays.toString(w.shape()) + " and "
                    + Arrays.toString(r.shape()));
        }
        Tensor b = c.optionalInput(3);
        if (b != null && !Arrays.equals(b.shape(), new int[] {dirs, 2 * gates * hidden})) {
            throw c.error("expected B [" + dirs + ", " + 2 * gates * hidden + "], got " + Arrays.toString(b.shape()));
        }
        Tensor valid = validMask(c, steps, batch);
        Tensor h0 = state(c, 5, batchFirst, dirs, batch, hidden);
        Tensor c0 = cell == CellType.LSTM ? state(c, 6, batchFirst, dirs, batch, hidden) : null;
        boolean linearBeforeReset = cell != CellType.GRU || c.intAttr("linear_before_reset", 0) == 1;
        int[] order = cell == CellType.LSTM ? LSTM_ORDER : cell == CellType.GRU ? GRU_ORDER : new int[] {0};

        List<Tensor> ys = new ArrayList<>();
        List<Tensor> hs = new ArrayList<>();
        List<Tensor> cs = new ArrayList<>();
        for (int d = 0; d < dirs; d++) {
            boolean reverse = direction.equals("reverse") || d == 1;
            Tensor wIh = reorder(w.select(0, d), order, hidden);
            Tensor wHh = reorder(r.select(0, d), order, hidden);
            Tensor bIh = b == null ? null : reorder(b.select(0, d).narrow(0, 0, gates * hidden), order, hidden);
            Tensor bHh = b == null ? null : reorder(b.select(0, d).narrow(0, gates * hidden, gates * hidden), order,
                    hidden);
            Tensor hd = h0 == null ? null : h0.select(0, d);
            Tensor cd = c0 == null ? null : c0.select(0, d);
            RecurrentOutput out = linearBeforeReset
                    ? Recurrence.layer(cell, x, hd, cd, wIh, wHh, bIh, bHh, valid, reverse)
                    : gruResetFirst(x, hd, wIh, wHh, bIh, bHh, valid, reverse);
            ys.add(out.output());
            hs.add(out.hN());
            cs.add(out.cN());
        }
        Tensor y = Tensor.stack(1, ys);
        Tensor yH = Tensor.stack(0, hs);
        Tensor yC = cell == CellType.LSTM ? Tensor.stack(0, cs) : null;
        if (batchFirst) {
            y = y.permute(2, 0, 1, 3);
            yH = yH.transpose(0, 1);
            yC = yC == null ? null : yC.transpose(0, 1);
        }
        return cell == CellType.LSTM ? new Tensor[] {y, yH, yC} : new Tensor[] {y, yH};
    }

    /** The stacked gate blocks of {@code w} (each {@code hidden} rows) in the order {@code order}. */
    private static Tensor reorder(Tensor w, int[] order, int hidden) {
        if (order.length == 1) {
            return w;
        }
        Tensor[] blocks = new Tensor[order.length];
        for (int k = 0; k < order.length; k++) {
            blocks[k] = w.narrow(0, order[k] * hidden, hidden);
        }
        return Tensor.cat(0, blocks);
    }

    /** sequence_lens as a BOOL {@code [T, B]} mask of the real steps, or null when absent. */
    private static Tensor validMask(OpCall c, int steps, int batch) {
        if (c.optionalInput(4) == null) {
            return null;
        }
        long[] lens = c.longs(4);
        if (lens.length != batch) {
            throw c.error("sequence_lens has " + lens.length + " values for a batch of " + batch);
        }
        boolean[] valid = new boolean[steps * batch];
        for (int bi = 0; bi < batch; bi++) {
            if (lens[bi] < 0 || lens[bi] > steps) {
                throw c.error("sequence_lens[" + bi + "] = " + lens[bi] + " is outside [0, " + steps + "]");
            }
            for (int t = 0; t < lens[bi]; t++) {
                valid[t * batch + bi] = true;
            }
        }
        return Tensor.of(valid, steps, batch);
    }

    /** initial_h or initial_c as {@code [D, B, H]}, or null when absent. */
    private static Tensor state(OpCall c, int input, boolean batchFirst, int dirs, int batch, int hidden) {
        Tensor s = c.optionalInput(input);
        if (s == null) {
            return null;
        }
        int[] want = batchFirst ? new int[] {batch, dirs, hidden} : new int[] {dirs, batch, hidden};
        if (!Arrays.equals(s.shape(), want)) {
            throw c.error("input " + input + " (initial state) should be " + Arrays.toString(want) + ", got "
                    + Arrays.toString(s.shape()));
        }
        return batchFirst ? s.transpose(0, 1) : s;
    }

    /**
     * A GRU whose reset gate applies before the recurrent product ({@code linear_before_reset = 0}, ONNX's default):
     * {@code n = tanh(W_n x + b_in + R_n (r ⊙ h) + b_hn)}, step by step. Weights in PyTorch's order r, z, n.
     */
    private static RecurrentOutput gruResetFirst(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh,
                                                 Tensor bHh, Tensor valid, boolean reverse) {
        int steps = x.size(0);
        int batch = x.size(1);
        int hidden = wHh.size(1);
        Tensor xw = x.matmul(wIh.t());
        if (bIh != null) {
            xw = xw.add(bIh);
        }
        Tensor wRz = wHh.narrow(0, 0, 2 * hidden).t();
        Tensor wN = wHh.narrow(0, 2 * hidden, hidden).t();
        Tensor bRz = bHh == null ? null : bHh.narrow(0, 0, 2 * hidden);
        Tensor bN = bHh == null ? null : bHh.narrow(0, 2 * hidden, hidden);
        Tensor h = h0 != null ? h0 : Tensor.zeros(x.dtype(), batch, hidden);
        Tensor[] outputs = new Tensor[steps];
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            Tensor xt = xw.select(0, t);
            Tensor rz = xt.narrow(1, 0, 2 * hidden).add(h.matmul(wRz));
            if (bRz != null) {
                rz = rz.add(bRz);
            }
            rz = rz.sigmoid();
            Tensor reset = rz.narrow(1, 0, hidden);
            Tensor update = rz.narrow(1, hidden, hidden);
            Tensor n = reset.mul(h).matmul(wN);
            if (bN != null) {
                n = n.add(bN);
            }
            n = xt.narrow(1, 2 * hidden, hidden).add(n).tanh();
            Tensor next = n.add(update.mul(h.sub(n)));
            if (valid != null) {
                Tensor ok = valid.select(0, t).reshape(batch, 1);
                next = Tensor.where(ok, next, h);
                outputs[t] = next.mul(ok.to(next.dtype()));
            } else {
                outputs[t] = next;
            }
            h = next;
        }
        return new RecurrentOutput(Tensor.stack(0, outputs), h, null);
    }
}
