package dev.deneb.tensor;

import java.util.Arrays;

/**
 * The pointwise part of one GRU step, after the two gate products: the gate activations and the new hidden state,
 * and the matching backward step. Backends may fuse each into one pass over memory (as PyTorch's
 * {@code _thnn_fused_gru_cell}); {@link #composedForward} and {@link #composedBackward} define what they compute.
 * The math and gate order are PyTorch's (reset r, update z, new n):
 * <pre>
 *   r  = σ(gi_r + gh_r)        z = σ(gi_z + gh_z)        n = tanh(gi_n + r·gh_n)
 *   h' = (1 − z)·n + z·h      (computed as n + z·(h − n))
 * </pre>
 * where {@code gi = x·W_ihᵀ + b_ih} and {@code gh = h·W_hhᵀ + b_hh}, both {@code [B, 3H]}.
 */
public final class GruPointwise {
    private GruPointwise() {}

    /** The activations {@code [B, 3H]} (r, z, n) and the new hidden state {@code [B, H]}. */
    public record Step(Tensor activations, Tensor hidden) {}

    /**
     * Gradients of the input gates {@code gi} and of the hidden gates {@code gh} (both {@code [B, 3H]}), and the
     * part of the previous hidden state's gradient that does not pass through {@code gh}: {@code dh'·z}
     * ({@code [B, H]}). The caller adds {@code d(gh)·W_hh} to it.
     */
    public record Grads(Tensor inputGates, Tensor hiddenGates, Tensor hiddenPrev) {}

    /**
     * One forward step from the input gates {@code gi} {@code [B, 3H]}, the hidden gates {@code gh} {@code [B, 3H]}
     * (biases included) and the previous hidden state {@code [B, H]}. A kernel, not recorded: call it inside a
     * custom op (as the GRU layer does) or with recording off.
     */
    public static Step forward(Tensor inputGates, Tensor hiddenGates, Tensor hiddenPrev) {
        requireUntracked("forward", inputGates, hiddenGates, hiddenPrev);
        int h = hiddenSize("forward", inputGates);
        check("forward", "hiddenGates", hiddenGates, inputGates, 3 * h);
        check("forward", "hiddenPrev", hiddenPrev, inputGates, h);
        return inputGates.backend().gruCell(inputGates, hiddenGates, hiddenPrev);
    }

    /**
     * One backward step: from the forward step's activations, its hidden gates (only the n part, {@code gh_n}, is
     * read), the previous hidden state, and the gradient reaching the new hidden state.
     */
    public static Grads backward(Tensor activations, Tensor hiddenGates, Tensor hiddenPrev, Tensor gradHidden) {
        requireUntracked("backward", activations, hiddenGates, hiddenPrev, gradHidden);
        int h = hiddenSize("backward", activations);
        check("backward", "hiddenGates", hiddenGates, activations, 3 * h);
        check("backward", "hiddenPrev", hiddenPrev, activations, h);
        check("backward", "gradHidden", gradHidden, activations, h);
        return activations.backend().gruCellBackward(activations, hiddenGates, hiddenPrev, gradHidden);
    }

    /** The forward step written with ordinary tensor ops: the definition every backend must match. */
    public static Step composedForward(Tensor inputGates, Tensor hiddenGates, Tensor hiddenPrev) {
        int h = inputGates.size(1) / 3;
        Tensor rz = inputGates.narrow(1, 0, 2 * h).add(hiddenGates.narrow(1, 0, 2 * h)).sigmoid();
        Tensor r = rz.narrow(1, 0, h);
        Tensor z = rz.narrow(1, h, h);
        Tensor n = inputGates.narrow(1, 2 * h, h).add(r.mul(hiddenGates.narrow(1, 2 * h, h))).tanh();
        Tensor next = hiddenPrev.sub(n).mul(z).add(n);
        return new Step(Tensor.cat(1, rz, n), next);
    }

    /** The backward step written with ordinary tensor ops. */
    public static Grads composedBackward(Tensor act, Tensor hiddenGates, Tensor hiddenPrev, Tensor gradHidden) {
        int h = act.size(1) / 3;
        Tensor r = act.narrow(1, 0, h);
        Tensor z = act.narrow(1, h, h);
        Tensor n = act.narrow(1, 2 * h, h);
        Tensor ghn = hiddenGates.narrow(1, 2 * h, h);
        Tensor dz = gradHidden.mul(hiddenPrev.sub(n)).mul(z).mul(z.neg().add(1));
        Tensor dn = gradHidden.sub(gradHidden.mul(z)).mul(n.mul(n).neg().add(1));
        Tensor dr = dn.mul(ghn).mul(r).mul(r.neg().add(1));
        return new Grads(Tensor.cat(1, dr, dz, dn), Tensor.cat(1, dr, dz, dn.mul(r)), gradHidden.mul(z));
    }

    private static void requireUntracked(String op, Tensor... inputs) {
        if (Tape.recordsGradient(inputs)) {
            throw new IllegalStateException("GruPointwise." + op + ": a kernel without a derivative rule got inputs"
                    + " that require grad; run it inside a custom op's forward or under GradMode.noGrad()");
        }
    }

    private static int hiddenSize(String op, Tensor gates) {
        if (gates.dim() != 2 || gates.size(1) % 3 != 0 || gates.size(1) == 0) {
            throw new IllegalArgumentException("GruPointwise." + op + ": expected gates [B, 3*H] with H >= 1, got "
                    + Arrays.toString(gates.shape()));
        }
        if (!gates.dtype().isFloating()) {
            throw new IllegalArgumentException("GruPointwise." + op + ": expected floating-point gates, got "
                    + gates.dtype());
        }
        return gates.size(1) / 3;
    }

    private static void check(String op, String name, Tensor t, Tensor gates, int cols) {
        if (!Arrays.equals(t.shape(), new int[] {gates.size(0), cols})) {
            String expected = cols == gates.size(1) ? "[B, 3*H]" : "[B, H]";
            throw new IllegalArgumentException("GruPointwise." + op + ": " + name + " must be " + expected + " = ["
                    + gates.size(0) + ", " + cols + "] for gates " + Arrays.toString(gates.shape()) + ", got "
                    + Arrays.toString(t.shape()));
        }
        if (t.dtype() != gates.dtype()) {
            throw new IllegalArgumentException("GruPointwise." + op + ": " + name + " is " + t.dtype()
                    + " but the gates are " + gates.dtype() + "; expected the same dtype");
        }
        Shapes.sameBackend("GruPointwise." + op, gates, t);
    }
}
