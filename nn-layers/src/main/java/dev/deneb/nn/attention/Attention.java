package dev.deneb.nn.attention;

import dev.deneb.nn.Functional;
import dev.deneb.nn.OptionChecks;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * Scaled dot-product attention, the functional form under {@link MultiheadAttention}.
 *
 * <p>Mask convention (that of {@code torch.nn.MultiheadAttention}): a <b>boolean</b> mask is {@code true} where a
 * query may <b>not</b> attend to a key; a <b>floating-point</b> mask is added to the scores (use {@code -inf} to
 * forbid). A fully masked row gives NaN, as in PyTorch.
 *
 * <p>What is materialised: the scores {@code [..., L, S]} once (queries are scaled before the product, so no extra
 * scaled copy of the scores), one masked copy when a mask is given, and the softmax. Masks are never expanded to
 * the batch or heads: a causal mask is {@code [L, S]}, a key-padding mask {@code [B, 1, 1, S]}, and they broadcast
 * in the single add. All heads and batch items go through one batched matmul per product.
 */
public final class Attention {
    private Attention() {}

    /** Output {@code [..., L, Ev]} and, when asked for, the attention weights {@code [..., L, S]} (else null). */
    public record Result(Tensor output, Tensor weights) {}

    /**
     * The keyword arguments of PyTorch's {@code F.scaled_dot_product_attention}; setters return a new record.
     *
     * @param isCausal  additionally forbid key j > query i (default false)
     * @param dropoutP  dropout probability on the attention weights (default 0; pass 0 when not training, as
     *                  PyTorch's layers do)
     * @param generator the source of the dropout masks (default: the global generator)
     */
    public record Options(boolean isCausal, double dropoutP, Generator generator) {
        public Options {
            OptionChecks.requireProbability("Attention.Options", "dropoutP", dropoutP);
            OptionChecks.requireGenerator("Attention.Options", generator);
        }

        /** Not causal, no dropout, the global generator. */
        public static Options defaults() {
            return new Options(false, 0, Generator.global());
        }

        public Options isCausal(boolean on) {
            return new Options(on, dropoutP, generator);
        }

        public Options dropoutP(double p) {
            return new Options(isCausal, p, generator);
        }

        public Options generator(Generator g) {
            return new Options(isCausal, dropoutP, g);
        }
    }

    /** {@code softmax(q·kᵀ/√E)·v} without mask, causality or dropout. */
    public static Result scaledDotProduct(Tensor q, Tensor k, Tensor v) {
        return scaledDotProduct(q, k, v, null, Options.defaults());
    }

    /** As {@link #scaledDotProduct(Tensor, Tensor, Tensor, Tensor, Options)} without an explicit mask. */
    public static Result scaledDotProduct(Tensor q, Tensor k, Tensor v, Options options) {
        return scaledDotProduct(q, k, v, null, options);
    }

    /**
     * {@code softmax(q·kᵀ/√E + mask)·v} for q {@code [..., L, E]}, k {@code [..., S, E]}, v {@code [..., S, Ev]} (the
     * leading axes broadcast). {@code attnMask} (bool or float, may be null) must broadcast to {@code [..., L, S]};
     * {@link Options#isCausal} additionally forbids key j > query i. Dropout with probability
     * {@link Options#dropoutP} is applied to the weights.
     */
    public static Result scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor attnMask, Options options) {
        OptionChecks.requireOptions("scaledDotProduct", options);
        if (q.dim() < 2 || k.dim() < 2 || v.dim() < 2) {
            throw new IllegalArgumentException("scaledDotProduct: q, k, v need rank >= 2 ([..., length, features]), got "
                    + Arrays.toString(q.shape()) + ", " + Arrays.toString(k.shape()) + ", " + Arrays.toString(v.shape()));
        }
        int l = q.size(-2);
        int s = k.size(-2);
        int e = q.size(-1);
        if (l == 0 || s == 0) {
            throw new IllegalArgumentException("scaledDotProduct: sequences of length 0 are not supported (query length "
                    + l + ", key length " + s + ")");
        }
        if (k.size(-1) != e) {
            throw new IllegalArgumentException("scaledDotProduct: q and k must have the same feature size, got q "
                    + Arrays.toString(q.shape()) + " and k " + Arrays.toString(k.shape()));
        }
        if (v.size(-2) != s) {
            throw new IllegalArgumentException("scaledDotProduct: k and v must have the same length, got k "
                    + Arrays.toString(k.shape()) + " and v " + Arrays.toString(v.shape()));
        }
        if (k.dtype() != q.dtype() || v.dtype() != q.dtype() || !q.dtype().isFloating()) {
            throw new IllegalArgumentException("scaledDotProduct: q, k and v must have the same floating-point dtype,"
                    + " got " + q.dtype() + ", " + k.dtype() + ", " + v.dtype() + "; convert them with x.to(...)");
        }
        Tensor scores = q.mul(1.0 / Math.sqrt(e)).matmul(k.mT());
        Tensor mask = combine(additive(attnMask, scores.dtype(), "attnMask"),
                options.isCausal() ? causalMask(l, s, scores.dtype()) : null);
        if (mask != null) {
            checkBroadcast(mask.shape(), scores.shape(), "attention mask");
            scores = scores.add((mask.to(scores.backend())));
        }
        Tensor w = scores.softmax(-1);
        w = Functional.dropout(w, options.dropoutP(), true, options.generator());
        return new Result(w.matmul(v), w);
    }

    /** {@code [l, s]} with 0 where key j &le; query i and -inf above the diagonal. */
    public static Tensor causalMask(int l, int s, DType dtype) {
        float[] m = new float[l * s];
        for (int i = 0; i < l; i++) {
            for (int j = i + 1; j < s; j++) {
                m[i * s + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return Tensor.of(m, l, s).to(dtype);
    }

    /** A mask as an additive float tensor: bool true becomes -inf, false 0; float masks pass through. */
    static Tensor additive(Tensor mask, DType dtype, String what) {
        if (mask == null) {
            return null;
        }
        if (mask.dtype() == DType.BOOL) {
            // Two broadcast scalars rather than a zero tensor of the mask's shape: computed from the mask alone, so a
            // traced export sees the mask's shape follow its input.
            return Tensor.where(mask, Tensor.full(Double.NEGATIVE_INFINITY, dtype), Tensor.zeros(dtype));
        }
        if (!mask.dtype().isFloating()) {
            throw new IllegalArgumentException(what + ": expected a bool or floating-point mask, got " + mask.dtype());
        }
        return mask.dtype() == dtype ? mask : mask.to(dtype);
    }

    static Tensor combine(Tensor a, Tensor b) {
        return a == null ? b : b == null ? a : a.add(b);
    }

    static void checkBroadcast(int[] mask, int[] target, String what) {
        boolean ok = mask.length <= target.length;
        for (int i = 1; ok && i <= mask.length; i++) {
            int m = mask[mask.length - i];
            ok = m == 1 || m == target[target.length - i];
        }
        if (!ok) {
            throw new IllegalArgumentException(what + " of shape " + Arrays.toString(mask)
                    + " does not broadcast to the attention scores " + Arrays.toString(target));
        }
    }
}
