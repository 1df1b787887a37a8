package dev.deneb.autograd;

import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A tensor that takes part in automatic differentiation: the type layers, losses and optimizers work with.
 *
 * <p>Ops on variables run at once (define-by-run: loops and branches are ordinary Java) and, when any input requires
 * gradients and recording is on (see {@link GradMode}), are recorded with their backward rule. {@link #backward()}
 * then fills the {@code grad} of every leaf that requires it. The derivative rules are all in {@link Derivatives}.
 *
 * <pre>{@code
 * Variable w = Variable.parameter(Tensor.randn(3, 2));
 * Variable loss = x.matmul(w).relu().sum();
 * loss.backward();
 * Tensor dw = w.grad().data();
 * }</pre>
 */
public final class Variable {
    private Tensor data;
    private Variable grad;
    private boolean requiresGrad;
    private final Node node;
    private boolean retainsGrad;
    private List<UnaryOperator<Variable>> hooks;

    private Variable(Tensor data, boolean requiresGrad, String op, Rule rule, Variable[] inputs) {
        this.data = data;
        this.requiresGrad = requiresGrad;
        this.node = rule == null ? null : new Node(op, inputs, rule, this);
    }

    // ---- creation ----

    /** A leaf that does not require gradients (inputs, targets, constants). */
    public static Variable of(Tensor data) {
        return new Variable(data, false, null, null, null);
    }

    /** A leaf that requires gradients (a trainable parameter); floating point only. */
    public static Variable parameter(Tensor data) {
        return of(data).requiresGrad(true);
    }

    /**
     * Records an op: {@code result} was computed from {@code inputs}, and {@code rule} gives its backward pass. When
     * no input requires gradients, or recording is off, nothing is recorded. This is how a custom differentiable op
     * is written (like PyTorch's {@code autograd.Function}).
     */
    public static Variable record(String op, Tensor result, Rule rule, Variable... inputs) {
        if (!GradMode.isEnabled()) {
            return of(result);
        }
        for (Variable in : inputs) {
            if (in.requiresGrad) {
                return new Variable(result, true, op, rule, inputs);
            }
        }
        return of(result);
    }

    // ---- state ----

    public Tensor data() {
        return data;
    }

    /**
     * Replaces the value of a leaf (optimizers write parameters this way or in place through {@code data()}).
     * The shape and dtype must stay the same.
     */
    public void setData(Tensor value) {
        if (node != null) {
            throw new IllegalStateException("setData: only leaves can be given new data; this variable was computed"
                    + " by '" + node.op + "'");
        }
        if (!Arrays.equals(value.shape(), data.shape()) || value.dtype() != data.dtype()) {
            throw new IllegalArgumentException("setData: expected shape " + Arrays.toString(data.shape()) + " and "
                    + data.dtype() + ", got " + Arrays.toString(value.shape()) + " and " + value.dtype());
        }
        data = value;
    }

    /** The accumulated gradient, or null before any backward reached this variable. */
    public Variable grad() {
        return grad;
    }

    /** Sets (or clears, with null) the accumulated gradient. */
    public void setGrad(Variable g) {
        if (g != null && !Arrays.equals(g.shape(), shape())) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Arrays.toString(g.shape())
                    + " differs from the variable's " + Arrays.toString(shape()));
        }
        grad = g;
    }

    /** Clears the accumulated gradient. */
    public void zeroGrad() {
        grad = null;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Turns gradient tracking on or off for a leaf. */
    public Variable requiresGrad(boolean on) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad: can only be changed on leaves; this variable was computed"
                    + " by '" + node.op + "' (use detach() to get a leaf)");
        }
        if (on && !data.dtype().isFloating()) {
            throw new IllegalArgumentException("requiresGrad: only floating-point tensors can require gradients, got "
                    + data.dtype());
        }
        requiresGrad = on;
        return this;
    }

    /** True for variables not computed by a recorded op. */
    public boolean isLeaf() {
        return node == null;
    }

    /** The name of the op that computed this variable, or null for a leaf. */
    public String op() {
        return node == null ? null : node.op;
    }

    /** The same data, cut from the graph: a leaf that does not require gradients. */
    public Variable detach() {
        return of(data);
    }

    /** Keep the gradient of this non-leaf in {@link #grad()} during backward. */
    public Variable retainGrad() {
        retainsGrad = true;
        return this;
    }

    /** A function called with this variable's gradient when backward computes it; it may return a replacement. */
    public Variable registerHook(UnaryOperator<Variable> hook) {
        if (!requiresGrad) {
            throw new IllegalStateException("registerHook: the variable does not require gradients");
        }
        if (hooks == null) {
            hooks = new ArrayList<>();
        }
        hooks.add(hook);
        return this;
    }

    Node node() {
        return node;
    }

    boolean retainsGrad() {
        return retainsGrad;
    }

    Variable runHooks(Variable g) {
        if (hooks != null) {
            for (UnaryOperator<Variable> h : hooks) {
                Variable r = h.apply(g);
                g = r == null ? g : r;
            }
        }
        return g;
    }

    void accumulateGrad(Variable g) {
        grad = grad == null ? g : grad.add(g);
    }

    // ---- backward ----

    /** Back-propagates from this one-element output (a loss). */
    public void backward() {
        backward(null, false, false);
    }

    /** Back-propagates from this output with the given gradient of the loss with respect to it. */
    public void backward(Tensor gradOutput) {
        backward(gradOutput, false, false);
    }

    /**
     * @param retainGraph keep the recorded ops so backward can run through them again
     * @param createGraph record the backward pass too, so the gradients can be differentiated (implies keeping the
     *                    graph of the backward ops; the forward graph is kept only with {@code retainGraph})
     */
    public void backward(Tensor gradOutput, boolean retainGraph, boolean createGraph) {
        Variable seed = Engine.seed(this, gradOutput);
        Engine.run(List.of(this), List.of(seed), retainGraph, createGraph, null);
    }

    // ---- metadata ----

    public int[] shape() {
        return data.shape();
    }

    public int dim() {
        return data.dim();
    }

    public int size(int axis) {
        return data.size(axis);
    }

    public int numel() {
        return data.numel();
    }

    public DType dtype() {
        return data.dtype();
    }

    /** The value of a one-element variable. */
    public double item() {
        return data.item();
    }

    @Override
    public String toString() {
        String s = data.toString();
        String extra = node != null ? ", op=" + node.op : requiresGrad ? ", requiresGrad=true" : "";
        return s.substring(0, s.length() - 1) + extra + ")";
    }

    // ---- elementwise ----

    public Variable neg() { return Derivatives.neg(this); }
    public Variable abs() { return Derivatives.abs(this); }
    public Variable sign() { return Derivatives.sign(this); }
    public Variable relu() { return Derivatives.relu(this); }
    public Variable exp() { return Derivatives.exp(this); }
    public Variable log() { return Derivatives.log(this); }
    public Variable log1p() { return Derivatives.log1p(this); }
    public Variable sqrt() { return Derivatives.sqrt(this); }
    public Variable rsqrt() { return Derivatives.rsqrt(this); }
    public Variable sin() { return Derivatives.sin(this); }
    public Variable cos() { return Derivatives.cos(this); }
    public Variable tanh() { return Derivatives.tanh(this); }
    public Variable sigmoid() { return Derivatives.sigmoid(this); }
    public Variable erf() { return Derivatives.erf(this); }
    public Variable gelu() { return Derivatives.gelu(this); }
    public Variable silu() { return Derivatives.silu(this); }
    public Variable softplus() { return Derivatives.softplus(this); }
    public Variable reciprocal() { return Derivatives.reciprocal(this); }
    public Variable pow(double exponent) { return Derivatives.pow(this, exponent); }
    public Variable clamp(double min, double max) { return Derivatives.clamp(this, min, max); }

    public Variable add(Variable o) { return Derivatives.add(this, o); }
    public Variable sub(Variable o) { return Derivatives.sub(this, o); }
    public Variable mul(Variable o) { return Derivatives.mul(this, o); }
    public Variable div(Variable o) { return Derivatives.div(this, o); }
    public Variable pow(Variable exponent) { return Derivatives.pow(this, exponent); }
    public Variable maximum(Variable o) { return Derivatives.maximum(this, o); }
    public Variable minimum(Variable o) { return Derivatives.minimum(this, o); }

    public Variable add(double s) { return Derivatives.addScalar(this, s); }
    public Variable sub(double s) { return Derivatives.addScalar(this, -s); }
    public Variable mul(double s) { return Derivatives.mulScalar(this, s); }
    public Variable div(double s) { return Derivatives.mulScalar(this, 1.0 / s); }
    public Variable maximum(double s) { return maximum(constantLike(s)); }
    public Variable minimum(double s) { return minimum(constantLike(s)); }

    /** Comparisons are not differentiable: they give plain bool tensors. */
    public Tensor eq(Variable o) { return data.eq(o.data); }
    public Tensor ne(Variable o) { return data.ne(o.data); }
    public Tensor lt(Variable o) { return data.lt(o.data); }
    public Tensor le(Variable o) { return data.le(o.data); }
    public Tensor gt(Variable o) { return data.gt(o.data); }
    public Tensor ge(Variable o) { return data.ge(o.data); }

    /** {@code cond ? a : b} elementwise (cond is a bool tensor; everything broadcasts). */
    public static Variable where(Tensor cond, Variable a, Variable b) { return Derivatives.where(cond, a, b); }

    /** Elements where {@code mask} is true replaced by {@code value}. */
    public Variable maskedFill(Tensor mask, double value) { return Derivatives.maskedFill(this, mask, value); }

    /** Converted to another floating-point dtype (the gradient is converted back). */
    public Variable to(DType dtype) { return Derivatives.cast(this, dtype); }

    private Variable constantLike(double s) {
        return of(Tensor.full(s, data.dtype()));
    }

    // ---- reductions ----

    public Variable sum() { return Derivatives.sum(this, new int[0], false); }
    public Variable sum(int axis) { return Derivatives.sum(this, new int[] {axis}, false); }
    public Variable sum(int[] axes, boolean keepdim) { return Derivatives.sum(this, axes, keepdim); }
    public Variable mean() { return Derivatives.mean(this, new int[0], false); }
    public Variable mean(int axis) { return Derivatives.mean(this, new int[] {axis}, false); }
    public Variable mean(int[] axes, boolean keepdim) { return Derivatives.mean(this, axes, keepdim); }
    public Variable prod() { return Derivatives.prod(this, new int[0], false); }
    public Variable prod(int[] axes, boolean keepdim) { return Derivatives.prod(this, axes, keepdim); }
    public Variable max() { return Derivatives.amax(this, new int[0], false, true); }
    public Variable min() { return Derivatives.amax(this, new int[0], false, false); }
    public Variable amax(int[] axes, boolean keepdim) { return Derivatives.amax(this, axes, keepdim, true); }
    public Variable amin(int[] axes, boolean keepdim) { return Derivatives.amax(this, axes, keepdim, false); }

    /** Largest values along an axis, and their indices (the gradient goes to the returned index). */
    public ValuesAndIndices max(int axis, boolean keepdim) { return Derivatives.maxAlong(this, axis, keepdim, true); }
    public ValuesAndIndices min(int axis, boolean keepdim) { return Derivatives.maxAlong(this, axis, keepdim, false); }
    public Tensor argmax(int axis, boolean keepdim) { return data.argmax(axis, keepdim); }
    public Tensor argmin(int axis, boolean keepdim) { return data.argmin(axis, keepdim); }

    public Variable var(int[] axes, int correction, boolean keepdim) { return Derivatives.var(this, axes, correction, keepdim); }
    public Variable var() { return var(new int[0], 1, false); }
    public Variable std(int[] axes, int correction, boolean keepdim) { return var(axes, correction, keepdim).sqrt(); }
    public Variable std() { return var().sqrt(); }
    public Variable logsumexp(int[] axes, boolean keepdim) { return Derivatives.logsumexp(this, axes, keepdim); }
    public Variable norm(double p, int[] axes, boolean keepdim) { return Derivatives.norm(this, p, axes, keepdim); }
    public Variable norm() { return norm(2, new int[0], false); }
    public Variable softmax(int axis) { return Derivatives.softmax(this, axis); }
    public Variable logSoftmax(int axis) { return Derivatives.logSoftmax(this, axis); }

    // ---- views ----

    public Variable reshape(int... shape) { return Derivatives.reshape(this, shape); }
    public Variable view(int... shape) { return Derivatives.view(this, shape); }
    public Variable permute(int... order) { return Derivatives.permute(this, order); }
    public Variable transpose(int a, int b) { return Derivatives.transpose(this, a, b); }
    public Variable t() { return dim() < 2 ? this : transpose(0, 1); }
    public Variable mT() { return transpose(-2, -1); }
    public Variable slice(int axis, int start, int end, int step) { return Derivatives.slice(this, axis, start, end, step); }
    public Variable slice(int axis, int start, int end) { return slice(axis, start, end, 1); }
    public Variable narrow(int axis, int start, int length) { return Derivatives.narrow(this, axis, start, length); }
    public Variable select(int axis, int index) { return Derivatives.select(this, axis, index); }
    public Variable expand(int... shape) { return Derivatives.expand(this, shape); }
    public Variable squeeze() { return reshape(data.squeeze().shape()); }
    public Variable squeeze(int axis) { return reshape(data.squeeze(axis).shape()); }
    public Variable unsqueeze(int axis) { return reshape(data.unsqueeze(axis).shape()); }
    public Variable flatten() { return reshape(-1); }
    public Variable flatten(int start, int end) { return reshape(data.flatten(start, end).shape()); }
    public Variable contiguous() { return data.isContiguous() ? this : Derivatives.contiguous(this); }

    public static Variable cat(int axis, Variable... parts) { return Derivatives.cat(axis, List.of(parts)); }
    public static Variable cat(int axis, List<Variable> parts) { return Derivatives.cat(axis, parts); }
    public static Variable stack(int axis, Variable... parts) { return Derivatives.stack(axis, List.of(parts)); }
    public static Variable stack(int axis, List<Variable> parts) { return Derivatives.stack(axis, parts); }
    public List<Variable> split(int size, int axis) { return Derivatives.split(this, data.split(size, axis), axis); }
    public List<Variable> split(int[] sizes, int axis) { return Derivatives.split(this, data.split(sizes, axis), axis); }
    public List<Variable> chunk(int chunks, int axis) { return Derivatives.split(this, data.chunk(chunks, axis), axis); }

    // ---- indexing ----

    public Variable indexSelect(int axis, Tensor index) { return Derivatives.indexSelect(this, axis, index); }
    public Variable gather(int axis, Tensor index) { return Derivatives.gather(this, axis, index); }
    public Variable scatter(int axis, Tensor index, Variable src) { return Derivatives.scatter(this, axis, index, src); }
    public Variable scatterAdd(int axis, Tensor index, Variable src) { return Derivatives.scatterAdd(this, axis, index, src); }

    /** Rows of {@code weight} picked by integer {@code indices}: shape {@code indices.shape + [D]}. */
    public static Variable embedding(Variable weight, Tensor indices) {
        int[] shape = Arrays.copyOf(indices.shape(), indices.dim() + 1);
        shape[indices.dim()] = weight.size(1);
        return weight.indexSelect(0, indices.reshape(-1)).reshape(shape);
    }

    // ---- linear algebra ----

    /** Matrix product with NumPy's rank rules (1-D operands, broadcast batches). */
    public Variable matmul(Variable o) { return Derivatives.matmul(this, o); }

    // ---- convolution and pooling ----

    /** 2-D convolution of {@code [N, C_in, H, W]} by {@code [C_out, C_in/groups, kH, kW]}, plus bias (or null). */
    public static Variable conv2d(Variable input, Variable weight, Variable bias, ConvOptions options) {
        return Derivatives.conv2d(input, weight, bias, options);
    }

    /** 1-D convolution of {@code [N, C_in, L]} by {@code [C_out, C_in/groups, k]}, plus bias (or null). */
    public static Variable conv1d(Variable input, Variable weight, Variable bias, int stride, int padding,
                                  int dilation, int groups) {
        return Derivatives.conv1d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** Max pooling of {@code [N, C, H, W]}: values (differentiable) and indices. */
    public ValuesAndIndices maxPool2d(PoolOptions options) { return Derivatives.maxPool2d(this, options); }

    public Variable avgPool2d(PoolOptions options) { return Derivatives.avgPool2d(this, options); }

    /** Max pooling of {@code [N, C, L]}. */
    public ValuesAndIndices maxPool1d(int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        return Derivatives.maxPool1d(this, kernel, stride, padding, dilation, ceilMode);
    }

    public Variable avgPool1d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        return Derivatives.avgPool1d(this, kernel, stride, padding, ceilMode, countIncludePad);
    }
}
