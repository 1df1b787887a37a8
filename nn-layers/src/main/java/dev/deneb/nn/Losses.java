package dev.deneb.nn;

import dev.deneb.autograd.Autograd;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * Loss functions with PyTorch's definitions, reductions and defaults. Targets that are labels are integer tensors
 * (not differentiated); targets that are values (regression targets, probabilities) are floating-point tensors,
 * differentiated too when they require grad.
 */
public final class Losses {
    private Losses() {}

    /** How per-element losses are combined. */
    public enum Reduction { MEAN, SUM, NONE }

    /**
     * The keyword arguments of PyTorch's {@code F.cross_entropy}; setters return a new record.
     *
     * @param weight         a weight per class {@code [C]}, or null for all ones (default)
     * @param ignoreIndex    the label whose positions add nothing (default -100)
     * @param labelSmoothing in [0, 1] (default 0)
     * @param reduction      default {@code MEAN}
     */
    public record CrossEntropyOptions(Tensor weight, long ignoreIndex, double labelSmoothing, Reduction reduction) {
        public CrossEntropyOptions {
            OptionChecks.requireProbability("crossEntropy", "labelSmoothing", labelSmoothing);
            OptionChecks.requireNonNull("crossEntropy", "reduction", reduction, "MEAN, SUM or NONE");
        }

        public static CrossEntropyOptions defaults() {
            return new CrossEntropyOptions(null, -100, 0.0, Reduction.MEAN);
        }

        public CrossEntropyOptions weight(Tensor w) {
            return new CrossEntropyOptions(w, ignoreIndex, labelSmoothing, reduction);
        }

        public CrossEntropyOptions ignoreIndex(long i) {
            return new CrossEntropyOptions(weight, i, labelSmoothing, reduction);
        }

        public CrossEntropyOptions labelSmoothing(double s) {
            return new CrossEntropyOptions(weight, ignoreIndex, s, reduction);
        }

        public CrossEntropyOptions reduction(Reduction r) {
            return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing, r);
        }
    }

    /**
     * The keyword arguments of PyTorch's {@code F.nll_loss}; setters return a new record.
     *
     * @param weight      a weight per class {@code [C]}, or null for all ones (default)
     * @param ignoreIndex the label whose positions add nothing (default -100)
     * @param reduction   default {@code MEAN}
     */
    public record NllOptions(Tensor weight, long ignoreIndex, Reduction reduction) {
        public NllOptions {
            OptionChecks.requireNonNull("nll", "reduction", reduction, "MEAN, SUM or NONE");
        }

        public static NllOptions defaults() {
            return new NllOptions(null, -100, Reduction.MEAN);
        }

        public NllOptions weight(Tensor w) {
            return new NllOptions(w, ignoreIndex, reduction);
        }

        public NllOptions ignoreIndex(long i) {
            return new NllOptions(weight, i, reduction);
        }

        public NllOptions reduction(Reduction r) {
            return new NllOptions(weight, ignoreIndex, r);
        }
    }

    /**
     * The keyword arguments of PyTorch's {@code F.binary_cross_entropy} and
     * {@code F.binary_cross_entropy_with_logits}; setters return a new record.
     *
     * @param weight    a weight per element, broadcast to the input, or null (default)
     * @param posWeight {@link #bceWithLogits} only: a weight of the positive class per class (broadcast along the
     *                  last axis), or null for 1 (default)
     * @param reduction default {@code MEAN}
     */
    public record BceOptions(Tensor weight, Tensor posWeight, Reduction reduction) {
        public BceOptions {
            OptionChecks.requireNonNull("bce", "reduction", reduction, "MEAN, SUM or NONE");
        }

        public static BceOptions defaults() {
            return new BceOptions(null, null, Reduction.MEAN);
        }

        public BceOptions weight(Tensor w) {
            return new BceOptions(w, posWeight, reduction);
        }

        public BceOptions posWeight(Tensor p) {
            return new BceOptions(weight, p, reduction);
        }

        public BceOptions reduction(Reduction r) {
            return new BceOptions(weight, posWeight, r);
        }
    }

    // ---- regression ----

    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        checkSameShape("mse", input, target);
        Tensor d = input.sub(target);
        return reduce(d.mul(d), reduction);
    }

    public static Tensor mse(Tensor input, Tensor target) {
        return mse(input, target, Reduction.MEAN);
    }

    public static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        checkSameShape("l1", input, target);
        return reduce(input.sub(target).abs(), reduction);
    }

    /** 0.5·d²/beta where |d| &lt; beta, else |d| − 0.5·beta (beta = 0 gives L1). */
    public static Tensor smoothL1(Tensor input, Tensor target, double beta, Reduction reduction) {
        checkSameShape("smoothL1", input, target);
        if (beta < 0) {
            throw new IllegalArgumentException("smoothL1: beta must be >= 0, got " + beta);
        }
        Tensor d = input.sub(target).abs();
        if (beta == 0) {
            return reduce(d, reduction);
        }
        return reduce(Tensor.where(d.lt(beta), d.mul(d).mul(0.5 / beta), d.sub(0.5 * beta)), reduction);
    }

    /** 0.5·d² where |d| &le; delta, else delta·(|d| − 0.5·delta). */
    public static Tensor huber(Tensor input, Tensor target, double delta, Reduction reduction) {
        checkSameShape("huber", input, target);
        if (delta <= 0) {
            throw new IllegalArgumentException("huber: delta must be > 0, got " + delta);
        }
        Tensor d = input.sub(target).abs();
        return reduce(Tensor.where(d.le(delta), d.mul(d).mul(0.5), d.sub(0.5 * delta).mul(delta)), reduction);
    }

    // ---- classification ----

    /**
     * Cross-entropy of logits {@code [N, C]} (or {@code [N, C, d…]}) against integer labels {@code [N]}
     * ({@code [N, d…]}), or against class probabilities of the logits' shape (a floating-point target: soft labels,
     * as PyTorch >= 1.10).
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return crossEntropy(logits, target, CrossEntropyOptions.defaults());
    }

    /**
     * Cross-entropy with options. Integer labels: the weighted negative log-probability of each label; {@code MEAN}
     * divides by the summed weights of the labels not ignored. A floating-point target of the logits' shape holds
     * class probabilities {@code p}: each position's loss is {@code -sum_c weight_c * p_c * log_softmax(x)_c}, with
     * smoothing applied to the probabilities ({@code p * (1 - s) + s / C}); {@code MEAN} divides by the number of
     * positions ({@code N·d…}, not the weights), an ignore index other than the default -100 is refused (as in
     * PyTorch), and the target gets a gradient if it requires one.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, CrossEntropyOptions o) {
        if (o.labelSmoothing() < 0 || o.labelSmoothing() > 1) {
            throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1], got "
                    + o.labelSmoothing());
        }
        if (target.dtype().isFloating()) {
            return crossEntropyWithProbabilities(logits, target, o);
        }
        Tensor logProbs = logits.dim() >= 2 ? logits.logSoftmax(1) : logits;
        Tensor nll = nll("crossEntropy", logProbs, target, o.weight(), o.ignoreIndex(), o.reduction());
        if (o.labelSmoothing() == 0) {
            return nll;
        }
        int classes = logits.size(1);
        Tensor perClass = logProbs;
        if (o.weight() != null) {
            perClass = perClass.mul(o.weight().to(logits.dtype()).reshape(classAxisShape(logits.dim(), classes)));
        }
        Tensor ignored = target.eq(o.ignoreIndex());
        Tensor smooth = perClass.sum(new int[] {1}, false).neg().maskedFill(ignored, 0);
        Tensor smoothReduced = switch (o.reduction()) {
            case NONE -> smooth;
            case SUM -> smooth.sum();
            case MEAN -> o.weight() != null
                    ? smooth.sum().div((classWeights(o.weight(), target, o.ignoreIndex()).sum()
                            .to(logits.dtype())))
                    : smooth.sum().div(Math.max(1, target.numel() - (long) ignored.to(DType.I64).sum().item()));
        };
        return nll.mul(1 - o.labelSmoothing()).add(smoothReduced.mul(o.labelSmoothing() / classes));
    }

    /** Cross-entropy against class probabilities {@code target} of the logits' shape (see {@link #crossEntropy}). */
    private static Tensor crossEntropyWithProbabilities(Tensor logits, Tensor target, CrossEntropyOptions o) {
        if (logits.dim() < 2) {
            throw new IllegalArgumentException("crossEntropy: expected input [N, C, …], got "
                    + Arrays.toString(logits.shape()));
        }
        if (!Arrays.equals(target.shape(), logits.shape())) {
            throw new IllegalArgumentException("crossEntropy: a floating-point target (" + target.dtype()
                    + ") holds class probabilities and must have the input's shape " + Arrays.toString(logits.shape())
                    + ", got " + Arrays.toString(target.shape()) + "; class labels must be an integer tensor (i32 or"
                    + " i64) of shape " + Arrays.toString(labelShape(logits)));
        }
        if (o.ignoreIndex() != CrossEntropyOptions.defaults().ignoreIndex()) {
            throw new IllegalArgumentException("crossEntropy: ignoreIndex " + o.ignoreIndex() + " does not apply to"
                    + " class-probability targets (as in PyTorch); leave it at -100 and give ignored positions zero"
                    + " probabilities, or use integer labels");
        }
        int classes = logits.size(1);
        checkClassWeights("crossEntropy", o.weight(), classes);
        Tensor p = target.dtype() == logits.dtype() ? target : target.to(logits.dtype());
        if (o.labelSmoothing() > 0) {
            p = p.mul(1 - o.labelSmoothing()).add(o.labelSmoothing() / classes);
        }
        Tensor perClass = logits.logSoftmax(1).mul(p);
        if (o.weight() != null) {
            perClass = perClass.mul(o.weight().to(logits.dtype()).reshape(classAxisShape(logits.dim(), classes)));
        }
        Tensor losses = perClass.sum(new int[] {1}, false).neg();
        return switch (o.reduction()) {
            case NONE -> losses;
            case SUM -> losses.sum();
            case MEAN -> losses.sum().div(losses.numel()); // 0/0 = NaN for an empty batch, as in PyTorch
        };
    }

    /** The shape of labels for input {@code [N, C, d…]}: {@code [N, d…]}. */
    private static int[] labelShape(Tensor input) {
        int[] expected = new int[input.dim() - 1];
        expected[0] = input.size(0);
        for (int d = 2; d < input.dim(); d++) {
            expected[d - 1] = input.size(d);
        }
        return expected;
    }

    /** {@code [1, C, 1, …]}: class weights broadcast along axis 1. */
    private static int[] classAxisShape(int dim, int classes) {
        int[] shape = new int[dim];
        Arrays.fill(shape, 1);
        shape[1] = classes;
        return shape;
    }

    private static void checkClassWeights(String op, Tensor weight, int classes) {
        if (weight != null && (weight.dim() != 1 || weight.size(0) != classes)) {
            throw new IllegalArgumentException(op + ": class weights must have shape [" + classes + "], got "
                    + Arrays.toString(weight.shape()));
        }
    }

    /** Negative log-likelihood of log-probabilities {@code [N, C, …]} at integer labels, averaged. */
    public static Tensor nll(Tensor logProbs, Tensor target) {
        return nll(logProbs, target, NllOptions.defaults());
    }

    public static Tensor nll(Tensor logProbs, Tensor target, NllOptions o) {
        OptionChecks.requireOptions("nll", o);
        return nll("nll", logProbs, target, o.weight(), o.ignoreIndex(), o.reduction());
    }

    private static Tensor nll(String op, Tensor logProbs, Tensor target, Tensor weight, long ignoreIndex,
                                Reduction reduction) {
        if (logProbs.dim() < 2) {
            throw new IllegalArgumentException(op + ": expected input [N, C, …], got "
                    + Arrays.toString(logProbs.shape()));
        }
        int classes = logProbs.size(1);
        int[] expected = labelShape(logProbs);
        if (target.dtype().isFloating() || target.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(op + ": labels must be an integer tensor (i32 or i64), got "
                    + target.dtype() + (target.dtype().isFloating()
                            ? "; for class probabilities use crossEntropy, which takes them in the input's shape"
                            : ""));
        }
        if (!Arrays.equals(target.shape(), expected)) {
            throw new IllegalArgumentException(op + ": labels of shape " + Arrays.toString(target.shape())
                    + " do not fit input " + Arrays.toString(logProbs.shape()) + " (expected " + Arrays.toString(expected)
                    + ")");
        }
        checkClassWeights(op, weight, classes);
        Tensor ignored = target.eq(ignoreIndex);
        Tensor safe = Tensor.where(ignored, Tensor.zerosLike(target), target).to(DType.I64);
        if (safe.numel() > 0) {
            long[] range = safe.backend().indexRange(safe);
            long lo = range[0];
            long hi = range[1];
            if (lo < 0 || hi >= classes) {
                throw new IllegalArgumentException(op + ": label " + (lo < 0 ? lo : hi) + " is out of range for "
                        + classes + " classes (expected 0 .. " + (classes - 1) + ", or the ignore index "
                        + ignoreIndex + ")");
            }
        }
        Tensor picked = logProbs.gather(1, safe.unsqueeze(1)).squeeze(1).neg();
        Tensor w = weight == null ? Tensor.onesLike(safe).to(logProbs.dtype())
                : weight.to(logProbs.dtype()).indexSelect(0, safe.reshape(-1)).reshape(safe.shape());
        w = w.maskedFill(ignored, 0);
        Tensor losses = picked.mul(w);
        return switch (reduction) {
            case NONE -> losses;
            case SUM -> losses.sum();
            case MEAN -> losses.sum().div(w.sum());
        };
    }

    private static Tensor classWeights(Tensor weight, Tensor target, long ignoreIndex) {
        Tensor ignored = target.eq(ignoreIndex);
        Tensor safe = Tensor.where(ignored, Tensor.zerosLike(target), target).to(DType.I64);
        return weight.indexSelect(0, safe.reshape(-1)).reshape(safe.shape()).maskedFill(ignored, 0);
    }

    /** Binary cross-entropy of probabilities in [0, 1], averaged; logs are clamped at −100 as in PyTorch. */
    public static Tensor bce(Tensor probs, Tensor target) {
        return bce(probs, target, BceOptions.defaults());
    }

    /** As {@link #bce(Tensor, Tensor)} with an element weight and a reduction ({@code posWeight} must be null). */
    public static Tensor bce(Tensor probs, Tensor target, BceOptions o) {
        OptionChecks.requireOptions("bce", o);
        if (o.posWeight() != null) {
            throw new IllegalArgumentException("bce: posWeight is only for bceWithLogits (PyTorch's"
                    + " binary_cross_entropy has none)");
        }
        Tensor weight = o.weight();
        Reduction reduction = o.reduction();
        checkSameShape("bce", probs, target);
        for (double v : probs.toDoubleArray()) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("bce: inputs must be probabilities in [0, 1], found " + v
                        + "; use bceWithLogits for raw scores");
            }
        }
        // Logs clamped at -100 as PyTorch does; the gradient is PyTorch's closed form, since differentiating the
        // clamped logs gives 0·inf = NaN at probabilities of exactly 0 or 1.
        Tensor p = probs.detach();
        Tensor y = target.detach().to(p.dtype());
        Tensor logP = p.log().maximum(-100);
        Tensor log1mP = p.neg().add(1).log().maximum(-100);
        Tensor value = y.mul(logP).add(y.neg().add(1).mul(log1mP)).neg();
        Tensor loss = Autograd.function("bce", value, g -> new Tensor[] {
            g.mul(probs.sub(target).div(probs.mul(probs.neg().add(1)).maximum(1e-12))),
            g.mul(log1mP.sub(logP))}, probs, target);
        if (weight != null) {
            loss = loss.mul((weight.to(loss.dtype())));
        }
        return reduce(loss, reduction);
    }

    /**
     * Binary cross-entropy on raw scores, computed stably: {@code (1−y)·x + (1 + (p−1)·y)·log(1 + e^−x)} with
     * {@code posWeight} p weighting the positive class (null for 1).
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor target, BceOptions o) {
        OptionChecks.requireOptions("bceWithLogits", o);
        Tensor weight = o.weight();
        Tensor posWeight = o.posWeight();
        Reduction reduction = o.reduction();
        checkSameShape("bceWithLogits", logits, target);
        // log(1 + e^-x) = max(-x, 0) + log(e^-max(-x,0) + e^(-x-max(-x,0))), finite for any x.
        Tensor m = logits.neg().maximum(0);
        Tensor softplusNeg = m.add(m.neg().exp().add(logits.neg().sub(m).exp()).log());
        Tensor logWeight = posWeight == null ? null
                : target.mul((posWeight.to(logits.dtype()).sub(1))).add(1);
        Tensor loss = target.neg().add(1).mul(logits)
                .add(logWeight == null ? softplusNeg : logWeight.mul(softplusNeg));
        if (weight != null) {
            loss = loss.mul((weight.to(loss.dtype())));
        }
        return reduce(loss, reduction);
    }

    /** As {@link #bceWithLogits(Tensor, Tensor, BceOptions)} with the defaults (no weights, mean). */
    public static Tensor bceWithLogits(Tensor logits, Tensor target) {
        return bceWithLogits(logits, target, BceOptions.defaults());
    }

    private static Tensor reduce(Tensor loss, Reduction reduction) {
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.mean();
        };
    }

    private static void checkSameShape(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": input " + Arrays.toString(input.shape()) + " and target "
                    + Arrays.toString(target.shape()) + " must have the same shape");
        }
    }
}
