package dev.deneb.tensor;

import java.util.Arrays;

/**
 * The pointwise part of one LSTM step, after the gate products: the gate activations, the new cell and hidden
 * state, and the matching backward step. Backends may fuse each into one pass over memory (as PyTorch's
 * {@code _thnn_fused_lstm_cell}); {@link #composedForward} and {@link #composedBackward} define what they compute.
 * Gate order is PyTorch's: input, forget, cell (g), output.
 */
public final class LstmPointwise {
    private LstmPointwise() {}

    /** The activated gates {@code [B, 4H]} (σ(i), σ(f), tanh(g), σ(o)), the new cell state, its tanh, and h. */
    public record Step(Tensor activations, Tensor cell, Tensor tanhCell, Tensor hidden) {}

    /** Gradients of the gate pre-activations {@code [B, 4H]} and of the previous cell state {@code [B, H]}. */
    public record Grads(Tensor gates, Tensor cellPrev) {}

    /**
     * One forward step from the gate pre-activations {@code [B, 4H]} and the previous cell state {@code [B, H]}. A
     * kernel, not recorded: call it inside a custom op (as the LSTM layer does) or with recording off.
     */
    public static Step forward(Tensor gates, Tensor cellPrev) {
        requireUntracked("forward", gates, cellPrev);
        int h = hiddenSize("forward", gates);
        check("forward", "cellPrev", cellPrev, gates, h);
        return gates.backend().lstmCell(gates, cellPrev);
    }

    /**
     * One backward step: from the forward step's activations, the previous cell state and tanh of the new one, and
     * the gradients reaching the new hidden state ({@code gradHidden}) and the new cell state ({@code gradCell}).
     */
    public static Grads backward(Tensor activations, Tensor cellPrev, Tensor tanhCell, Tensor gradHidden,
                                 Tensor gradCell) {
        requireUntracked("backward", activations, cellPrev, tanhCell, gradHidden, gradCell);
        int h = hiddenSize("backward", activations);
        check("backward", "cellPrev", cellPrev, activations, h);
        check("backward", "tanhCell", tanhCell, activations, h);
        check("backward", "gradHidden", gradHidden, activations, h);
        check("backward", "gradCell", gradCell, activations, h);
        return activations.backend().lstmCellBackward(activations, cellPrev, tanhCell, gradHidden, gradCell);
    }

    /** The forward step written with ordinary tensor ops: the definition every backend must match. */
    public static Step composedForward(Tensor gates, Tensor cellPrev) {
        int h = gates.size(1) / 4;
        Tensor sig = gates.sigmoid();
        Tensor i = sig.narrow(1, 0, h);
        Tensor f = sig.narrow(1, h, h);
        Tensor g = gates.narrow(1, 2 * h, h).tanh();
        Tensor o = sig.narrow(1, 3 * h, h);
        Tensor c = f.mul(cellPrev).add(i.mul(g));
        Tensor tc = c.tanh();
        return new Step(Tensor.cat(1, i, f, g, o), c, tc, o.mul(tc));
    }

    /** The backward step written with ordinary tensor ops. */
    public static Grads composedBackward(Tensor act, Tensor cellPrev, Tensor tanhCell, Tensor gradHidden,
                                         Tensor gradCell) {
        int h = act.size(1) / 4;
        Tensor i = act.narrow(1, 0, h);
        Tensor f = act.narrow(1, h, h);
        Tensor g = act.narrow(1, 2 * h, h);
        Tensor o = act.narrow(1, 3 * h, h);
        Tensor dc = gradCell.add(gradHidden.mul(o).mul(oneMinusSquare(tanhCell)));
        Tensor di = dc.mul(g).mul(i.mul(i.neg().add(1)));
        Tensor df = dc.mul(cellPrev).mul(f.mul(f.neg().add(1)));
        Tensor dg = dc.mul(i).mul(oneMinusSquare(g));
        Tensor dO = gradHidden.mul(tanhCell).mul(o.mul(o.neg().add(1)));
        return new Grads(Tensor.cat(1, di, df, dg, dO), dc.mul(f));
    }

    private static Tensor oneMinusSquare(Tensor y) {
        return y.mul(y).neg().add(1);
    }

    private static void requireUntracked(String op, Tensor... inputs) {
        if (Tape.recordsGradient(inputs)) {
            throw new IllegalStateException("LstmPointwise." + op + ": a kernel without a derivative rule got inputs"
                    + " that require grad; run it inside a custom op's forward or under GradMode.noGrad()");
        }
    }

    private static int hiddenSize(String op, Tensor gates) {
        if (gates.dim() != 2 || gates.size(1) % 4 != 0 || gates.size(1) == 0) {
            throw new IllegalArgumentException("LstmPointwise." + op + ": expected gates [B, 4*H] with H >= 1, got "
                    + Arrays.toString(gates.shape()));
        }
        if (!gates.dtype().isFloating()) {
            throw new IllegalArgumentException("LstmPointwise." + op + ": expected floating-point gates, got "
                    + gates.dtype());
        }
        return gates.size(1) / 4;
    }

    private static void check(String op, String name, Tensor t, Tensor gates, int h) {
        if (!Arrays.equals(t.shape(), new int[] {gates.size(0), h})) {
            throw new IllegalArgumentException("LstmPointwise." + op + ": " + name + " must be [B, H] = ["
                    + gates.size(0) + ", " + h + "] for gates " + Arrays.toString(gates.shape()) + ", got "
                    + Arrays.toString(t.shape()));
        }
        if (t.dtype() != gates.dtype()) {
            throw new IllegalArgumentException("LstmPointwise." + op + ": " + name + " is " + t.dtype()
                    + " but the gates are " + gates.dtype() + "; expected the same dtype");
        }
        Shapes.sameBackend("LstmPointwise." + op, gates, t);
    }
}
