package dev.deneb.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An n-dimensional array: a view (shape, strides, offset) onto a {@link Storage} that one {@link Backend} owns, and
 * the one value type of Deneb, with automatic differentiation built in (as PyTorch's tensor since 0.4).
 *
 * <p>Tensors are values: every op returns a new tensor and leaves its inputs alone, except the methods named
 * {@code …InPlace}, {@code copyFrom}, {@code fill}, {@code zero} and {@code set}. View ops ({@link #reshape},
 * {@link #permute}, {@link #slice}, {@link #expand}…) share storage and copy nothing; {@link #contiguous()} copies only
 * when it must. CPU tensors are ordinary Java objects: the garbage collector frees them, there is nothing to close.
 *
 * <p>Autograd: a tensor made with {@code requiresGrad(true)} is a leaf the gradient flows to. Ops on it run at once
 * (loops and branches are ordinary Java) and, while {@link GradMode} is on, are recorded on the tape; {@link
 * #backward()} then fills {@link #grad()} of every leaf that requires it. Only primitives ({@link Primitive}) are
 * recorded; every named op is written once in terms of them.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(3, 2).requiresGrad(true);
 * Tensor loss = x.matmul(w).relu().sum();
 * loss.backward();
 * Tensor dw = w.grad();
 * }</pre>
 *
 * <p>Elementwise ops broadcast as NumPy does and promote types along {@code bool < i32 < i64 < f32 < f64}. Bad
 * arguments raise {@link IllegalArgumentException} naming the op, the shapes and what was expected.
 */
public final class Tensor {
    /**
     * The most elements one tensor may hold: {@code Integer.MAX_VALUE - 8}, the largest Java array every JVM
     * allocates. Creating a larger tensor is an {@link IllegalArgumentException} raised before anything is allocated
     * (memory may still run out earlier: this bounds what is possible, not what fits the heap).
     */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    // The view. Only setData (on a leaf) changes it, so that modules and optimizers keep their tensor objects.
    private Storage storage;
    private int[] shape;
    private int[] strides;
    private int offset;

    // Autograd state, read and written by Tape.
    boolean requiresGrad;
    Node gradFn;
    Tensor grad;
    boolean retainsGrad;
    List<UnaryOperator<Tensor>> hooks;

    private Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        // An empty view may point past the end of its storage; nothing is ever read through it.
        this.offset = hasZero(shape) ? 0 : offset;
    }

    private static boolean hasZero(int[] shape) {
        for (int d : shape) {
            if (d == 0) {
                return true;
            }
        }
        return false;
    }

    /** A view of this tensor's storage with another geometry (no history; callers record it). */
    private Tensor view(int[] newShape, int[] newStrides, int newOffset) {
        return new Tensor(storage, newShape, newStrides, newOffset);
    }

    /** The same view as a new tensor object without history. */
    Tensor alias() {
        return new Tensor(storage, shape, strides, offset);
    }

    // =========================================================================================================
    // Construction from storage (for backends)
    // =========================================================================================================

    /** A view onto {@code storage}; checks that every element it can address lies inside the storage. */
    public static Tensor fromStorage(Storage storage, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("fromStorage: shape " + Shapes.str(shape) + " and strides "
                    + Shapes.str(strides) + " differ in rank");
        }
        int n = Shapes.numel("fromStorage", shape);
        if (n > 0) {
            long lo = offset;
            long hi = offset;
            for (int d = 0; d < shape.length; d++) {
                long span = (long) strides[d] * (shape[d] - 1);
                if (span < 0) {
                    lo += span;
                } else {
                    hi += span;
                }
            }
            if (lo < 0 || hi >= storage.size()) {
                throw new IllegalArgumentException("fromStorage: view shape " + Shapes.str(shape) + ", strides "
                        + Shapes.str(strides) + ", offset " + offset + " reaches outside a storage of "
                        + storage.size() + " elements");
            }
        }
        return new Tensor(storage, shape.clone(), strides.clone(), offset);
    }

    /** A new, zero-filled, contiguous tensor on {@code backend}. */
    public static Tensor empty(Backend backend, DType dtype, int... shape) {
        return create("empty", backend, dtype, shape);
    }

    private static Tensor create(String op, Backend backend, DType dtype, int[] shape) {
        int n = Shapes.numel(op, shape);
        return new Tensor(backend.allocate(dtype, n), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    // =========================================================================================================
    // Creation
    // =========================================================================================================

    /** Zero-filled f32 tensor. */
    public static Tensor zeros(int... shape) {
        return create("zeros", Backends.current(), DType.F32, shape);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return create("zeros", Backends.current(), dtype, shape);
    }

    /** Same as {@link #zeros}: CPU storage is always initialised. */
    public static Tensor empty(int... shape) {
        return zeros(shape);
    }

    public static Tensor ones(int... shape) {
        return filled("ones", 1.0, DType.F32, shape);
    }

    public static Tensor ones(DType dtype, int... shape) {
        return filled("ones", 1.0, dtype, shape);
    }

    public static Tensor full(double value, int... shape) {
        return full(value, DType.F32, shape);
    }

    public static Tensor full(double value, DType dtype, int... shape) {
        return filled("full", value, dtype, shape);
    }

    private static Tensor filled(String op, double value, DType dtype, int[] shape) {
        Tensor t = create(op, Backends.current(), dtype, shape);
        if (value != 0) {
            t.backend().fill(t, value);
        }
        return t;
    }

    /** A 0-dimensional tensor holding one value. */
    public static Tensor scalar(double value) {
        return full(value, DType.F32);
    }

    public static Tensor scalar(double value, DType dtype) {
        return full(value, dtype);
    }

    /** Zeros of {@code t}'s shape, dtype and backend (no history). */
    public static Tensor zerosLike(Tensor t) {
        return empty(t.backend(), t.dtype(), t.shape);
    }

    public static Tensor onesLike(Tensor t) {
        return fullLike(t, 1.0);
    }

    public static Tensor fullLike(Tensor t, double value) {
        Tensor r = zerosLike(t);
        if (value != 0) {
            r.backend().fill(r, value);
        }
        return r;
    }

    /** {@code [0, 1, …, end-1]} as i64. */
    public static Tensor arange(long end) {
        return arange(0, end, 1);
    }

    /** {@code [start, start+1, …, end-1]} as i64. */
    public static Tensor arange(long start, long end) {
        return arange(start, end, 1);
    }

    /** Integers from start (inclusive) to end (exclusive) by step, as i64. */
    public static Tensor arange(long start, long end, long step) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must not be 0");
        }
        // Count in double first: end - start can overflow a long.
        double count = Math.ceil(((double) end - (double) start) / step);
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("arange: [" + start + ", " + end + ") by " + step + " has "
                    + String.format(java.util.Locale.ROOT, "%.0f", count) + " elements, more than "
                    + (Integer.MAX_VALUE - 8));
        }
        long n = Math.max(0, (long) count);
        long[] v = new long[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = start + i * step;
        }
        return of(v, v.length);
    }

    /** Floats from start (inclusive) to end (exclusive) by step, as f32. */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0 || !Double.isFinite(step) || !Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("arange: start, end and step must be finite and step non-zero, got "
                    + start + ", " + end + ", " + step);
        }
        long n = Math.max(0, (long) Math.ceil((end - start) / step));
        float[] v = new float[Shapes.numel("arange", new int[] {(int) Math.min(n, Integer.MAX_VALUE)})];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (start + i * step);
        }
        return of(v, v.length);
    }

    /**
     * {@code steps} evenly spaced f32 values from start to end, both included; {@code steps} from 0 to
     * {@link #MAX_ELEMENTS}.
     */
    public static Tensor linspace(double start, double end, int steps) {
        if (steps < 0 || steps > MAX_ELEMENTS) {
            throw new IllegalArgumentException("linspace: steps must be between 0 and " + MAX_ELEMENTS + " (the most"
                    + " elements a tensor holds), got " + steps);
        }
        float[] v = new float[steps];
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        for (int i = 0; i < steps; i++) {
            // Fill from both ends so the last value is exactly `end`, as NumPy does.
            v[i] = (float) (steps == 1 ? start : i < steps / 2 ? start + i * step : end - (steps - 1 - i) * step);
        }
        return of(v, steps);
    }

    /** The n×n identity matrix, f32. */
    public static Tensor eye(int n) {
        return eye(n, n, DType.F32);
    }

    public static Tensor eye(int rows, int cols, DType dtype) {
        double[] v = new double[Shapes.numel("eye", new int[] {rows, cols})];
        for (int i = 0; i < Math.min(rows, cols); i++) {
            v[i * cols + i] = 1;
        }
        return of(v, rows, cols).to(dtype);
    }

    /** A copy of {@code data} with the given shape (a 1-D tensor when no shape is given). */
    public static Tensor of(float[] data, int... shape) {
        return fromArray("of", data, data.length, shape);
    }

    public static Tensor of(double[] data, int... shape) {
        return fromArray("of", data, data.length, shape);
    }

    public static Tensor of(int[] data, int... shape) {
        return fromArray("of", data, data.length, shape);
    }

    public static Tensor of(long[] data, int... shape) {
        return fromArray("of", data, data.length, shape);
    }

    public static Tensor of(boolean[] data, int... shape) {
        return fromArray("of", data, data.length, shape);
    }

    /** A 2-D f32 tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("of: row " + i + " has " + rows[i].length + " elements, expected "
                        + cols);
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return of(flat, rows.length, cols);
    }

    private static Tensor fromArray(String op, Object data, int length, int[] shape) {
        int[] s = shape.length == 0 ? new int[] {length} : Shapes.inferSize(op, shape, length);
        return uploaded(Backends.current(), data, s);
    }

    /** A contiguous tensor of {@code shape} on {@code backend} holding a copy of a Java array of that many elements
     *  (for composites whose index or mask tensors must live where their input does). */
    static Tensor uploaded(Backend backend, Object javaArray, int... shape) {
        return new Tensor(backend.upload(javaArray), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    // ---- random numbers (seeded, reproducible; see Generator) ----

    /** Uniform in [0, 1), f32, from the global generator (see {@link Generator#global()}). */
    public static Tensor rand(int... shape) {
        return Generator.global().uniform(0, 1, shape);
    }

    /** Standard normal, f32, from the global generator. */
    public static Tensor randn(int... shape) {
        return Generator.global().normal(0, 1, shape);
    }

    /** Seeds the global generator. */
    public static void manualSeed(long seed) {
        Generator.global().reseed(seed);
    }

    // =========================================================================================================
    // Metadata
    // =========================================================================================================

    public int[] shape() {
        return shape.clone();
    }

    public int[] strides() {
        return strides.clone();
    }

    public int offset() {
        return offset;
    }

    public int dim() {
        return shape.length;
    }

    /** Size of one axis (negative axes count from the end). */
    public int size(int axis) {
        return shape[Shapes.axis("size", axis, shape.length)];
    }

    public int numel() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public DType dtype() {
        return storage.dtype();
    }

    public Storage storage() {
        return storage;
    }

    public Backend backend() {
        return storage.backend();
    }

    /** True when the elements lie in row-major order without gaps (size-1 axes may have any stride). */
    public boolean isContiguous() {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 0) {
                return true;
            }
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** True when both tensors have the same shape. */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    // =========================================================================================================
    // Autograd
    // =========================================================================================================

    /** Turns gradient tracking on or off for a leaf (floating point only); returns this tensor. */
    public Tensor requiresGrad(boolean on) {
        if (gradFn != null) {
            throw new IllegalStateException("requiresGrad: can only be changed on leaves; this tensor was computed by '"
                    + gradFn.op().name() + "' (use detach() to get a leaf)");
        }
        if (on && !dtype().isFloating()) {
            throw new IllegalArgumentException("requiresGrad: only floating-point tensors can require gradients, got "
                    + dtype() + " of shape " + Shapes.str(shape));
        }
        requiresGrad = on;
        return this;
    }

    /** True for leaves made with {@code requiresGrad(true)} and for results recorded from them. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The accumulated gradient, or null before any backward reached this tensor. */
    public Tensor grad() {
        return grad;
    }

    /** Sets (or clears, with null) the accumulated gradient. */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Shapes.str(g.shape)
                    + " differs from the tensor's " + Shapes.str(shape));
        }
        grad = g;
    }

    /** Clears the accumulated gradient (as PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        grad = null;
    }

    /** True for tensors not computed by a recorded op. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The recorded op that computed this tensor, or null for a leaf. */
    public Node gradFn() {
        return gradFn;
    }

    /** The same values (sharing storage), cut from the graph: a leaf that does not require grad. */
    public Tensor detach() {
        return alias();
    }

    /** Keep the gradient of this non-leaf in {@link #grad()} during backward. */
    public Tensor retainGrad() {
        if (!requiresGrad) {
            throw new IllegalStateException("retainGrad: the tensor (shape " + Shapes.str(shape)
                    + ") does not require gradients");
        }
        retainsGrad = true;
        return this;
    }

    /** A function called with this tensor's gradient when backward computes it; it may return a replacement. */
    public Tensor registerHook(UnaryOperator<Tensor> hook) {
        if (!requiresGrad) {
            throw new IllegalStateException("registerHook: the tensor (shape " + Shapes.str(shape)
                    + ") does not require gradients");
        }
        Tape.registerHook(this, hook);
        return this;
    }

    /** Back-propagates from this one-element tensor (a loss). */
    public void backward() {
        backward(null, false, false);
    }

    /** Back-propagates from this tensor with the given gradient of the loss with respect to it. */
    public void backward(Tensor gradient) {
        backward(gradient, false, false);
    }

    /**
     * @param gradient    the gradient of the loss with respect to this tensor (null: ones, for a one-element tensor)
     * @param retainGraph keep the recorded ops so backward can run through them again
     * @param createGraph record the backward pass too, so the gradients can be differentiated again
     */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        GradientEngine engine = Tape.engine();
        if (engine == null) {
            throw new IllegalStateException("backward: no gradient engine found; add dev.deneb:deneb-autograd to the"
                    + " class path");
        }
        engine.backward(List.of(this), java.util.Collections.singletonList(gradient), retainGraph, createGraph);
    }

    /**
     * Replaces the values of a leaf with {@code value}'s (same shape and dtype), keeping this tensor object, so
     * modules and optimizers that hold it see the new values. The values are shared, not copied.
     */
    public void setData(Tensor value) {
        requireLeaf("setData");
        if (!Arrays.equals(value.shape, shape) || value.dtype() != dtype()) {
            throw new IllegalArgumentException("setData: expected shape " + Shapes.str(shape) + " and " + dtype()
                    + ", got " + Shapes.str(value.shape) + " and " + value.dtype());
        }
        storage = value.storage;
        strides = value.strides.clone();
        offset = value.offset;
    }

    /**
     * Converts this leaf's values to {@code dtype} in place, keeping the tensor object (how {@code Layer.to} moves
     * parameters); a gradient is converted too. A leaf that requires grad must stay floating point.
     */
    public Tensor toInPlace(DType dtype) {
        requireLeaf("toInPlace");
        if (requiresGrad && !dtype.isFloating()) {
            throw new IllegalArgumentException("toInPlace: a tensor that requires grad must stay floating point, got "
                    + dtype);
        }
        return replaceWith(detach().to(dtype), grad == null ? null : grad.to(dtype));
    }

    /** Moves this leaf's values (and gradient) to {@code backend} in place, keeping the tensor object. */
    public Tensor toInPlace(Backend backend) {
        requireLeaf("toInPlace");
        return replaceWith(detach().to(backend), grad == null ? null : grad.to(backend));
    }

    private Tensor replaceWith(Tensor value, Tensor newGrad) {
        storage = value.storage;
        strides = value.strides;
        offset = value.offset;
        grad = newGrad;
        return this;
    }

    private void requireLeaf(String op) {
        if (gradFn != null) {
            throw new IllegalStateException(op + ": only leaves can be given new data; this tensor was computed by '"
                    + gradFn.op().name() + "'");
        }
    }

    // =========================================================================================================
    // Copies out, conversion, element access
    // =========================================================================================================

    /** The elements in row-major order as f32. */
    public float[] toFloatArray() {
        return (float[]) backend().download(detach().to(DType.F32));
    }

    public double[] toDoubleArray() {
        return (double[]) backend().download(detach().to(DType.F64));
    }

    public int[] toIntArray() {
        return (int[]) backend().download(detach().to(DType.I32));
    }

    public long[] toLongArray() {
        return (long[]) backend().download(detach().to(DType.I64));
    }

    public boolean[] toBooleanArray() {
        return (boolean[]) backend().download(detach().to(DType.BOOL));
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item: expected a tensor with one element, got shape "
                    + Shapes.str(shape));
        }
        return toDoubleArray()[0];
    }

    /** One element, as a double. */
    public double get(int... index) {
        return element("get", index).item();
    }

    /** The 0-D view of one element, after checking the index. */
    private Tensor element(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": expected " + shape.length + " indices for shape "
                    + Shapes.str(shape) + ", got " + index.length);
        }
        Tensor t = detach();
        for (int d = index.length - 1; d >= 0; d--) {
            t = t.select(d, index[d]);
        }
        return t;
    }

    /**
     * This tensor converted to {@code dtype} (itself when it already has it). Conversions follow Java's casts, on
     * every backend:
     * <ul>
     *   <li>floating to integer (I32 or I64) rounds toward zero and <b>saturates</b>: values beyond the range
     *       become its minimum or maximum, and NaN becomes 0 (as {@code (int) x} and {@code (long) x} do);</li>
     *   <li>I64 to I32 keeps the low 32 bits (wraps, as {@code (int) x} on a long and as PyTorch do);</li>
     *   <li>to F32 or F64 rounds to the nearest representable value (F64 to F32 overflows to ±infinity);</li>
     *   <li>to BOOL gives {@code x != 0} (so NaN is true); BOOL to a number gives 0 or 1.</li>
     * </ul>
     */
    public Tensor to(DType dtype) {
        if (dtype == dtype()) {
            return this;
        }
        Primitive op = new Primitive.Cast(dtype());
        return Tape.run(op, () -> {
            Tensor out = empty(backend(), dtype, shape);
            backend().copy(this, out);
            return out;
        }, this);
    }

    /** A copy of this tensor on another backend (itself when it is already there). */
    public Tensor to(Backend target) {
        if (target == backend()) {
            return this;
        }
        Primitive op = new Primitive.Transfer(backend());
        return Tape.run(op, () -> {
            Object data = backend().download(this);
            return new Tensor(target.upload(data), shape.clone(), Shapes.contiguousStrides(shape), 0);
        }, this);
    }

    /** A contiguous copy that shares nothing with this tensor (PyTorch's {@code clone}). */
    public Tensor copy() {
        return Tape.run(new Primitive.Copy(), () -> {
            Tensor out = empty(backend(), dtype(), shape);
            backend().copy(this, out);
            return out;
        }, this);
    }

    /** This tensor if it is contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    // =========================================================================================================
    // In-place writes. They bump the storage version, so backward notices a saved value that changed. Inside the
    // recorded graph (recording on and a tensor involved that requires grad) they are refused: use the out-of-place
    // op, or GradMode.noGrad() as optimizers do.
    // =========================================================================================================

    /** Copies {@code src} (broadcast to this shape, converted to this dtype) into this tensor's elements. */
    public Tensor copyFrom(Tensor src) {
        InPlace.check("copyFrom", this, src);
        Shapes.sameBackend("copyFrom", this, src);
        if (!Arrays.equals(Shapes.broadcast("copyFrom", src.shape, shape), shape)) {
            throw new IllegalArgumentException("copyFrom: a source of shape " + Shapes.str(src.shape)
                    + " does not broadcast to the destination's shape " + Shapes.str(shape));
        }
        backend().copy(src.detach().expand(shape), this);
        storage.bumpVersion();
        return this;
    }

    /** Sets every element to {@code value}. */
    public Tensor fill(double value) {
        InPlace.check("fill", this);
        backend().fill(this, value);
        storage.bumpVersion();
        return this;
    }

    /** Sets every element to 0. */
    public Tensor zero() {
        return fill(0);
    }

    /** Sets one element. */
    public Tensor set(double value, int... index) {
        InPlace.check("set", this);
        element("set", index).fill(value);
        return this;
    }

    /** {@code this += other} (broadcast to this shape, in this dtype). */
    public Tensor addInPlace(Tensor other) { return InPlace.apply("addInPlace", this, other, BinaryOp.ADD); }
    public Tensor subInPlace(Tensor other) { return InPlace.apply("subInPlace", this, other, BinaryOp.SUB); }
    public Tensor mulInPlace(Tensor other) { return InPlace.apply("mulInPlace", this, other, BinaryOp.MUL); }
    public Tensor divInPlace(Tensor other) { return InPlace.apply("divInPlace", this, other, BinaryOp.DIV); }
    public Tensor addInPlace(double s) { return addInPlace(Elementwise.scalarFor(this, s)); }
    public Tensor subInPlace(double s) { return subInPlace(Elementwise.scalarFor(this, s)); }
    public Tensor mulInPlace(double s) { return mulInPlace(Elementwise.scalarFor(this, s)); }
    public Tensor divInPlace(double s) { return divInPlace(Elementwise.scalarFor(this, s)); }

    /** Elements where {@code mask} is true set to {@code value}, in place. */
    public Tensor maskedFillInPlace(Tensor mask, double value) {
        InPlace.check("maskedFillInPlace", this, mask);
        return copyFrom(maskedFill(mask, value));
    }

    // =========================================================================================================
    // Views (no copy)
    // =========================================================================================================

    /** The same elements in a new shape (one size may be -1): a view when the layout allows, else a copy. */
    public Tensor reshape(int... newShape) {
        int[] s = Shapes.inferSize("reshape", newShape, numel());
        if (Arrays.equals(s, shape)) {
            return this;
        }
        int[] st = Shapes.viewStrides(shape, strides, s);
        return st != null ? reshaped(s, st) : copy().reshape(s);
    }

    /** Like {@link #reshape} but never copies: fails when the layout does not allow a view. */
    public Tensor view(int... newShape) {
        int[] s = Shapes.inferSize("view", newShape, numel());
        int[] st = Shapes.viewStrides(shape, strides, s);
        if (st == null) {
            throw new IllegalArgumentException("view: a tensor of shape " + Shapes.str(shape) + " and strides "
                    + Shapes.str(strides) + " cannot be viewed as " + Shapes.str(s)
                    + " without a copy; use reshape() or contiguous() first");
        }
        return reshaped(s, st);
    }

    /** A view with the same elements in row-major order, recorded as a reshape. */
    private Tensor reshaped(int[] newShape, int[] newStrides) {
        return Tape.record(new Primitive.Reshape(shape.clone()), view(newShape, newStrides, offset), this);
    }

    /** Reorders the axes: axis i of the result is axis {@code order[i]} of this tensor. */
    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute: expected " + shape.length + " axes for shape "
                    + Shapes.str(shape) + ", got " + Arrays.toString(order));
        }
        int[] s = new int[order.length];
        int[] st = new int[order.length];
        int[] normalized = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int a = Shapes.axis("permute", order[i], shape.length);
            if (seen[a]) {
                throw new IllegalArgumentException("permute: axis " + a + " repeated in " + Arrays.toString(order));
            }
            seen[a] = true;
            normalized[i] = a;
            s[i] = shape[a];
            st[i] = strides[a];
        }
        return Tape.record(new Primitive.Permute(normalized), view(s, st, offset), this);
    }

    /** Swaps two axes. */
    public Tensor transpose(int axis0, int axis1) {
        int a = Shapes.axis("transpose", axis0, shape.length);
        int b = Shapes.axis("transpose", axis1, shape.length);
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** The transpose of a matrix (a 0-D or 1-D tensor is returned as is). */
    public Tensor t() {
        if (shape.length > 2) {
            throw new IllegalArgumentException("t: expected a tensor of rank <= 2, got shape " + Shapes.str(shape)
                    + "; use transpose(a, b) or mT()");
        }
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /** Swaps the last two axes (a batch of matrices transposed). */
    public Tensor mT() {
        if (shape.length < 2) {
            throw new IllegalArgumentException("mT: expected a tensor of rank >= 2, got shape " + Shapes.str(shape));
        }
        return transpose(-2, -1);
    }

    /** Elements {@code start, start+step, …} below {@code end} along {@code axis}; bounds are clamped as in
     *  Python slicing and may be negative (counted from the end). */
    public Tensor slice(int axis, int start, int end, int step) {
        Primitive.Slice r = sliceRegion(axis, start, end, step);
        int a = r.axis();
        int len = r.end() > r.start() ? (r.end() - r.start() + step - 1) / step : 0;
        int[] ns = shape.clone();
        int[] nst = strides.clone();
        ns[a] = len;
        nst[a] = strides[a] * step;
        return Tape.record(r, view(ns, nst, len == 0 ? offset : offset + r.start() * strides[a]), this);
    }

    /** The checked slice with its axis normalised and its bounds clamped. */
    private Primitive.Slice sliceRegion(int axis, int start, int end, int step) {
        int a = Shapes.axis("slice", axis, shape.length);
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be >= 1, got " + step);
        }
        int s = clampIndex(start, shape[a]);
        return new Primitive.Slice(a, s, Math.max(s, clampIndex(end, shape[a])), step);
    }

    public Tensor slice(int axis, int start, int end) {
        return slice(axis, start, end, 1);
    }

    private static int clampIndex(int i, int n) {
        int r = i < 0 ? i + n : i;
        return Math.max(0, Math.min(n, r));
    }

    /** {@code length} elements from {@code start} along {@code axis}, which must fit. */
    public Tensor narrow(int axis, int start, int length) {
        int a = Shapes.axis("narrow", axis, shape.length);
        if (start < 0 || length < 0 || start + length > shape[a]) {
            throw new IllegalArgumentException("narrow: start " + start + " and length " + length
                    + " do not fit axis " + a + " of size " + shape[a] + " (shape " + Shapes.str(shape) + ")");
        }
        return slice(a, start, start + length, 1);
    }

    /** The slice at {@code index} along {@code axis}, with that axis removed. */
    public Tensor select(int axis, int index) {
        int a = Shapes.axis("select", axis, shape.length);
        int i = index < 0 ? index + shape[a] : index;
        if (i < 0 || i >= shape[a]) {
            throw new IllegalArgumentException("select: index " + index + " is out of range for axis " + a
                    + " of size " + shape[a] + " (shape " + Shapes.str(shape) + ")");
        }
        return slice(a, i, i + 1, 1).squeeze(a);
    }

    /**
     * The diagonal at {@code offset} (above the main one when positive) of the matrices spanned by two axes, as a
     * view with those axes removed and the diagonal appended as the last axis (torch.diagonal).
     */
    public Tensor diagonal(int offset, int axis1, int axis2) {
        Primitive.Diagonal r = diagonalRegion(offset, axis1, axis2);
        int a = r.axis1();
        int b = r.axis2();
        int len = Math.max(0, offset >= 0 ? Math.min(shape[a], shape[b] - offset) : Math.min(shape[a] + offset,
                shape[b]));
        int start = len == 0 ? this.offset : this.offset + (offset >= 0 ? offset * strides[b] : -offset * strides[a]);
        int[] ns = new int[shape.length - 1];
        int[] nst = new int[shape.length - 1];
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (d != a && d != b) {
                ns[j] = shape[d];
                nst[j++] = strides[d];
            }
        }
        ns[ns.length - 1] = len;
        nst[nst.length - 1] = strides[a] + strides[b];
        return Tape.record(r, view(ns, nst, start), this);
    }

    private Primitive.Diagonal diagonalRegion(int offset, int axis1, int axis2) {
        int a = Shapes.axis("diagonal", axis1, shape.length);
        int b = Shapes.axis("diagonal", axis2, shape.length);
        if (a == b) {
            throw new IllegalArgumentException("diagonal: the two axes must differ, got " + axis1 + " and " + axis2
                    + " for shape " + Shapes.str(shape));
        }
        return new Primitive.Diagonal(offset, a, b);
    }

    /** The main diagonal of the last two axes. */
    public Tensor diagonal() {
        return diagonal(0, -2, -1);
    }

    /** A copy of this tensor with {@code src} written into {@code slice(axis, start, end, step)} (differentiable in
     *  both, as torch.slice_scatter). */
    public Tensor sliceScatter(Tensor src, int axis, int start, int end, int step) {
        return Joining.regionScatter(this, src, sliceRegion(axis, start, end, step));
    }

    /** A copy of this tensor with {@code src} written into its diagonal (torch.diagonal_scatter). */
    public Tensor diagonalScatter(Tensor src, int offset, int axis1, int axis2) {
        return Joining.regionScatter(this, src, diagonalRegion(offset, axis1, axis2));
    }

    /** Broadcasts to {@code newShape} (-1 keeps a size) by giving repeated axes stride 0. */
    public Tensor expand(int... newShape) {
        if (Arrays.equals(newShape, shape)) {
            return this;
        }
        if (newShape.length < shape.length) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Shapes.str(shape) + " to "
                    + Shapes.str(newShape) + " of lower rank");
        }
        int lead = newShape.length - shape.length;
        int[] s = new int[newShape.length];
        int[] st = new int[newShape.length];
        for (int i = 0; i < newShape.length; i++) {
            int want = newShape[i];
            if (i < lead) {
                if (want < 0) {
                    throw new IllegalArgumentException("expand: size " + want + " is not allowed for a new leading"
                            + " axis (" + Shapes.str(shape) + " to " + Shapes.str(newShape) + ")");
                }
                s[i] = want;
                st[i] = 0;
                continue;
            }
            int have = shape[i - lead];
            if (want < -1) {
                throw new IllegalArgumentException("expand: sizes must be >= 0 or -1 (keep), got " + want + " in "
                        + Shapes.str(newShape));
            }
            if (want == -1 || want == have) {
                s[i] = have;
                st[i] = strides[i - lead];
            } else if (have == 1 && want >= 0) {
                s[i] = want;
                st[i] = 0;
            } else {
                throw new IllegalArgumentException("expand: cannot expand shape " + Shapes.str(shape) + " to "
                        + Shapes.str(newShape) + " (axis " + i + " has size " + have + ", which is not 1)");
            }
        }
        if (Arrays.equals(s, shape)) {
            return this;
        }
        Shapes.numel("expand", s);
        return Tape.record(new Primitive.Expand(shape.clone()), view(s, st, offset), this);
    }

    /** Same as {@link #expand}. */
    public Tensor broadcastTo(int... newShape) {
        return expand(newShape);
    }

    /** Removes every axis of size 1. */
    public Tensor squeeze() {
        int keep = 0;
        for (int d : shape) {
            keep += d == 1 ? 0 : 1;
        }
        if (keep == shape.length) {
            return this;
        }
        int[] s = new int[keep];
        int[] st = new int[keep];
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (shape[d] != 1) {
                s[j] = shape[d];
                st[j++] = strides[d];
            }
        }
        return reshaped(s, st);
    }

    /** Removes {@code axis} if its size is 1 (otherwise returns this tensor unchanged, as PyTorch does). */
    public Tensor squeeze(int axis) {
        int a = Shapes.axis("squeeze", axis, shape.length);
        return shape[a] != 1 ? this : reshaped(remove(shape, a), remove(strides, a));
    }

    /** Inserts an axis of size 1 at {@code axis} (which may be {@code dim()}, or negative). */
    public Tensor unsqueeze(int axis) {
        int a = Shapes.axis("unsqueeze", axis, shape.length + 1);
        int[] s = new int[shape.length + 1];
        int[] st = new int[shape.length + 1];
        for (int d = 0, j = 0; d < s.length; d++) {
            if (d == a) {
                s[d] = 1;
                st[d] = a < shape.length ? strides[a] * shape[a] : 1;
            } else {
                s[d] = shape[j];
                st[d] = strides[j++];
            }
        }
        return reshaped(s, st);
    }

    /** All axes merged into one. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** Axes {@code start..end} (inclusive) merged into one. */
    public Tensor flatten(int start, int end) {
        if (shape.length == 0) {
            return reshape(1);
        }
        int a = Shapes.axis("flatten", start, shape.length);
        int b = Shapes.axis("flatten", end, shape.length);
        if (a > b) {
            throw new IllegalArgumentException("flatten: start axis " + start + " comes after end axis " + end);
        }
        int[] s = new int[shape.length - (b - a)];
        int j = 0;
        for (int d = 0; d < a; d++) {
            s[j++] = shape[d];
        }
        int merged = 1;
        for (int d = a; d <= b; d++) {
            merged *= shape[d];
        }
        s[j++] = merged;
        for (int d = b + 1; d < shape.length; d++) {
            s[j++] = shape[d];
        }
        return reshape(s);
    }

    private static int[] remove(int[] a, int i) {
        int[] r = new int[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    // ---- joining and splitting ----

    /** Joins tensors of equal shape except along {@code axis}. */
    public static Tensor cat(int axis, Tensor... tensors) {
        return Joining.cat(axis, List.of(tensors));
    }

    public static Tensor cat(int axis, List<Tensor> tensors) {
        return Joining.cat(axis, tensors);
    }

    /** Joins tensors of equal shape along a new axis. */
    public static Tensor stack(int axis, Tensor... tensors) {
        return Joining.stack(axis, List.of(tensors));
    }

    public static Tensor stack(int axis, List<Tensor> tensors) {
        return Joining.stack(axis, tensors);
    }

    /** Views of {@code size} elements each along {@code axis} (the last may be smaller). */
    public List<Tensor> split(int size, int axis) {
        return Joining.split(this, size, axis);
    }

    /** Views with the given sizes along {@code axis}; the sizes must add up to the axis length. */
    public List<Tensor> split(int[] sizes, int axis) {
        return Joining.split(this, sizes, axis);
    }

    /** {@code chunks} views of near-equal size along {@code axis} (as torch.chunk). */
    public List<Tensor> chunk(int chunks, int axis) {
        return Joining.chunk(this, chunks, axis);
    }

    // ---- reshaping, index and contraction ops ----

    /** The listed axes reversed (a copy); no axes gives an unchanged copy, as torch.flip with empty dims. */
    public Tensor flip(int... axes) { return Rearranging.flip(this, axes); }

    /** Elements shifted by {@code shifts[i]} along {@code axes[i]}, wrapping around (torch.roll). */
    public Tensor roll(int[] shifts, int[] axes) { return Rearranging.roll(this, shifts, axes); }

    /** The flattened elements shifted by {@code shift}, wrapping around, in this shape (torch.roll without dims). */
    public Tensor roll(int shift) { return Rearranging.roll(this, shift); }

    /** This tensor repeated {@code repeats[i]} times along axis i; extra leading repeats add axes
     *  (torch.Tensor.repeat). */
    public Tensor repeat(int... repeats) { return Rearranging.repeat(this, repeats); }

    /** Like {@link #repeat}, but fewer reps than axes are padded with 1s in front (torch.tile). */
    public Tensor tile(int... reps) { return Rearranging.tile(this, reps); }

    /** Each slice along {@code axis} repeated {@code repeats} times in a row (torch.repeat_interleave). */
    public Tensor repeatInterleave(int repeats, int axis) { return Rearranging.repeatInterleave(this, repeats, axis); }

    /** Slice i along {@code axis} repeated {@code repeats[i]} times; repeats is an integer tensor with one count per
     *  slice, or a single count (torch.repeat_interleave). */
    public Tensor repeatInterleave(Tensor repeats, int axis) {
        return Rearranging.repeatInterleave(this, repeats, axis);
    }

    /** The lower triangle of the last two axes: elements with {@code col - row <= diagonal}, the rest 0
     *  (torch.tril). */
    public Tensor tril(int diagonal) { return Triangular.tril(this, diagonal); }
    public Tensor tril() { return Triangular.tril(this, 0); }

    /** The upper triangle of the last two axes: elements with {@code col - row >= diagonal}, the rest 0
     *  (torch.triu). */
    public Tensor triu(int diagonal) { return Triangular.triu(this, diagonal); }
    public Tensor triu() { return Triangular.triu(this, 0); }

    /** torch.diag: a 1-D tensor becomes a square matrix with it on the {@code diagonal}-th diagonal; a matrix gives a
     *  copy of its {@code diagonal}-th diagonal. */
    public Tensor diag(int diagonal) { return Triangular.diag(this, diagonal); }
    public Tensor diag() { return Triangular.diag(this, 0); }

    /** The outer product of two 1-D tensors, {@code out[i][j] = this[i] * other[j]} (torch.outer). */
    public Tensor outer(Tensor other) { return Einsum.outer(this, other); }

    /** The elements where the bool {@code mask} (broadcast to this shape) is true, row-major, as a 1-D tensor
     *  (torch.masked_select). */
    public Tensor maskedSelect(Tensor mask) { return MaskedSelection.maskedSelect(this, mask); }

    /** The indices of the non-zero elements, row-major, as i64 {@code [n, dim()]} (torch.nonzero). */
    public Tensor nonzero() { return MaskedSelection.nonzero(this); }

    /**
     * Einstein summation as torch.einsum: e.g. {@code "ij,jk->ik"} (matmul), {@code "ii"} (trace), {@code "bij,bjk"}
     * (implicit output: the letters appearing once, alphabetically), {@code "...ij->...ji"}. Sizes of one letter must
     * match or be 1 (broadcast). It may return a view when no arithmetic is needed, as PyTorch's does.
     */
    public static Tensor einsum(String subscripts, Tensor... operands) { return Einsum.einsum(subscripts, operands); }

    // =========================================================================================================
    // Elementwise
    // =========================================================================================================

    public Tensor neg() { return Elementwise.unary(UnaryOp.NEG, this); }
    public Tensor abs() { return Elementwise.unary(UnaryOp.ABS, this); }
    public Tensor sign() { return Elementwise.unary(UnaryOp.SIGN, this); }
    public Tensor relu() { return Elementwise.unary(UnaryOp.RELU, this); }
    /** 1 where x > 0, else 0 (the derivative of relu). */
    public Tensor step() { return Elementwise.unary(UnaryOp.STEP, this); }
    public Tensor exp() { return Elementwise.unary(UnaryOp.EXP, this); }
    public Tensor log() { return Elementwise.unary(UnaryOp.LOG, this); }
    public Tensor log1p() { return Elementwise.unary(UnaryOp.LOG1P, this); }
    public Tensor sqrt() { return Elementwise.unary(UnaryOp.SQRT, this); }
    public Tensor rsqrt() { return Elementwise.unary(UnaryOp.RSQRT, this); }
    public Tensor sin() { return Elementwise.unary(UnaryOp.SIN, this); }
    public Tensor cos() { return Elementwise.unary(UnaryOp.COS, this); }
    public Tensor tanh() { return Elementwise.unary(UnaryOp.TANH, this); }
    public Tensor sigmoid() { return Elementwise.unary(UnaryOp.SIGMOID, this); }
    public Tensor erf() { return Elementwise.unary(UnaryOp.ERF, this); }
    public Tensor gelu() { return Elementwise.unary(UnaryOp.GELU, this); }
    public Tensor silu() { return Elementwise.unary(UnaryOp.SILU, this); }
    public Tensor softplus() { return Elementwise.unary(UnaryOp.SOFTPLUS, this); }
    public Tensor reciprocal() { return Elementwise.unary(UnaryOp.RECIPROCAL, this); }
    public Tensor hardswish() { return Elementwise.unary(UnaryOp.HARDSWISH, this); }

    /** Applies any unary op. */
    public Tensor map(UnaryOp op) { return Elementwise.unary(op, this); }

    public Tensor add(Tensor other) { return Elementwise.binary(BinaryOp.ADD, this, other); }
    public Tensor sub(Tensor other) { return Elementwise.binary(BinaryOp.SUB, this, other); }
    public Tensor mul(Tensor other) { return Elementwise.binary(BinaryOp.MUL, this, other); }
    public Tensor div(Tensor other) { return Elementwise.binary(BinaryOp.DIV, this, other); }
    public Tensor pow(Tensor exponent) { return Elementwise.binary(BinaryOp.POW, this, exponent); }
    public Tensor maximum(Tensor other) { return Elementwise.binary(BinaryOp.MAXIMUM, this, other); }
    public Tensor minimum(Tensor other) { return Elementwise.binary(BinaryOp.MINIMUM, this, other); }
    public Tensor eq(Tensor other) { return Elementwise.binary(BinaryOp.EQ, this, other); }
    public Tensor ne(Tensor other) { return Elementwise.binary(BinaryOp.NE, this, other); }
    public Tensor lt(Tensor other) { return Elementwise.binary(BinaryOp.LT, this, other); }
    public Tensor le(Tensor other) { return Elementwise.binary(BinaryOp.LE, this, other); }
    public Tensor gt(Tensor other) { return Elementwise.binary(BinaryOp.GT, this, other); }
    public Tensor ge(Tensor other) { return Elementwise.binary(BinaryOp.GE, this, other); }

    // Scalars keep a floating tensor's dtype; an integer tensor stays integer when the scalar is whole.
    public Tensor add(double s) { return Elementwise.binary(BinaryOp.ADD, this, Elementwise.scalarFor(this, s)); }
    public Tensor sub(double s) { return Elementwise.binary(BinaryOp.SUB, this, Elementwise.scalarFor(this, s)); }
    public Tensor mul(double s) { return Elementwise.binary(BinaryOp.MUL, this, Elementwise.scalarFor(this, s)); }
    public Tensor div(double s) { return Elementwise.binary(BinaryOp.DIV, this, Elementwise.scalarFor(this, s)); }
    public Tensor pow(double e) { return Elementwise.binary(BinaryOp.POW, this, Elementwise.scalarFor(this, e)); }
    public Tensor maximum(double s) { return Elementwise.binary(BinaryOp.MAXIMUM, this, Elementwise.scalarFor(this, s)); }
    public Tensor minimum(double s) { return Elementwise.binary(BinaryOp.MINIMUM, this, Elementwise.scalarFor(this, s)); }
    public Tensor eq(double s) { return Elementwise.binary(BinaryOp.EQ, this, Elementwise.scalarFor(this, s)); }
    public Tensor ne(double s) { return Elementwise.binary(BinaryOp.NE, this, Elementwise.scalarFor(this, s)); }
    public Tensor lt(double s) { return Elementwise.binary(BinaryOp.LT, this, Elementwise.scalarFor(this, s)); }
    public Tensor le(double s) { return Elementwise.binary(BinaryOp.LE, this, Elementwise.scalarFor(this, s)); }
    public Tensor gt(double s) { return Elementwise.binary(BinaryOp.GT, this, Elementwise.scalarFor(this, s)); }
    public Tensor ge(double s) { return Elementwise.binary(BinaryOp.GE, this, Elementwise.scalarFor(this, s)); }

    /** Applies any binary op with broadcasting and type promotion. */
    public Tensor zipWith(BinaryOp op, Tensor other) { return Elementwise.binary(op, this, other); }

    /** {@code max(min, min(x, max))}; NaN stays NaN; the gradient passes inside and at the bounds (as PyTorch). */
    public Tensor clamp(double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        }
        Tensor lo = Elementwise.scalarFor(this, min);
        Tensor hi = Elementwise.scalarFor(this, max);
        return where(lt(lo), lo, where(gt(hi), hi, this));
    }

    /** {@code cond ? a : b} elementwise, with broadcasting; cond must be BOOL. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Elementwise.where(cond, a, b);
    }

    /** Elements where {@code mask} is true replaced by {@code value} (mask broadcasts to this shape). */
    public Tensor maskedFill(Tensor mask, double value) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("maskedFill: mask must be bool, got " + mask.dtype());
        }
        int[] target = Shapes.broadcast("maskedFill", shape, mask.shape);
        if (!Arrays.equals(target, shape)) {
            throw new IllegalArgumentException("maskedFill: mask of shape " + Shapes.str(mask.shape)
                    + " does not broadcast to the tensor's shape " + Shapes.str(shape));
        }
        Tensor fill = Elementwise.scalarFor(this, value);
        return where(mask, fill.dtype() == dtype() ? fill : fill.to(dtype()), this);
    }

    // ---- rounding, remainder, special values, any/all ----

    /** Rounds down; integer tensors are returned unchanged (a copy of the same dtype). Gradient 0. */
    public Tensor floor() { return Elementwise.unary(UnaryOp.FLOOR, this); }
    /** Rounds up; integer tensors unchanged. Gradient 0. */
    public Tensor ceil() { return Elementwise.unary(UnaryOp.CEIL, this); }
    /** Rounds to the nearest integer, halves to even (torch.round); integer tensors unchanged. Gradient 0. */
    public Tensor round() { return Elementwise.unary(UnaryOp.ROUND, this); }
    /** Rounds toward zero; integer tensors unchanged. Gradient 0. */
    public Tensor trunc() { return Elementwise.unary(UnaryOp.TRUNC, this); }

    /** {@code this - floor(this / divisor) * divisor}, with the divisor's sign (torch.remainder, Python's %); an
     *  integer divisor must not be 0. */
    public Tensor remainder(Tensor divisor) { return Elementwise.binary(BinaryOp.REMAINDER, this, divisor); }
    public Tensor remainder(double divisor) { return Elementwise.binary(BinaryOp.REMAINDER, this, Elementwise.scalarFor(this, divisor)); }
    /** {@code this - trunc(this / divisor) * divisor}, with this tensor's sign (torch.fmod, C's fmod); an integer
     *  divisor must not be 0. */
    public Tensor fmod(Tensor divisor) { return Elementwise.binary(BinaryOp.FMOD, this, divisor); }
    public Tensor fmod(double divisor) { return Elementwise.binary(BinaryOp.FMOD, this, Elementwise.scalarFor(this, divisor)); }

    /** True where the element is NaN (bool; all false for integer tensors). */
    public Tensor isnan() { return NonFinite.isnan(this); }
    /** True where the element is +inf or -inf (bool; all false for integer tensors). */
    public Tensor isinf() { return NonFinite.isinf(this); }
    /** True where the element is neither NaN nor infinite (bool; all true for integer tensors). */
    public Tensor isfinite() { return NonFinite.isfinite(this); }
    /** NaN, +inf and -inf replaced by the given values (torch.nan_to_num); differentiable, gradient 0 at those. */
    public Tensor nanToNum(double nan, double posinf, double neginf) { return NonFinite.nanToNum(this, nan, posinf, neginf); }
    /** NaN to 0, +inf and -inf to the largest and lowest finite values of the dtype (torch.nan_to_num). */
    public Tensor nanToNum() { return NonFinite.nanToNum(this); }

    /** True when some element is non-zero (NaN counts), as a 0-D bool; false for an empty tensor. */
    public Tensor any() { return Logical.any(this, new int[0], false); }
    /** {@link #any()} over {@code axes} (all axes when empty; negative axes allowed). */
    public Tensor any(int[] axes, boolean keepdim) { return Logical.any(this, axes, keepdim); }
    /** True when every element is non-zero, as a 0-D bool; true for an empty tensor. */
    public Tensor all() { return Logical.all(this, new int[0], false); }
    /** {@link #all()} over {@code axes} (all axes when empty). */
    public Tensor all(int[] axes, boolean keepdim) { return Logical.all(this, axes, keepdim); }

    // =========================================================================================================
    // Reductions
    // =========================================================================================================

    /** Sum of all elements (0-D). */
    public Tensor sum() { return Reductions.reduce("sum", ReduceOp.SUM, this, new int[0], false); }
    public Tensor sum(int axis) { return sum(new int[] {axis}, false); }
    public Tensor sum(int[] axes, boolean keepdim) { return Reductions.reduce("sum", ReduceOp.SUM, this, axes, keepdim); }

    public Tensor prod() { return Reductions.reduce("prod", ReduceOp.PROD, this, new int[0], false); }
    public Tensor prod(int[] axes, boolean keepdim) { return Reductions.reduce("prod", ReduceOp.PROD, this, axes, keepdim); }

    public Tensor mean() { return Reductions.mean(this, new int[0], false); }
    public Tensor mean(int axis) { return mean(new int[] {axis}, false); }
    public Tensor mean(int[] axes, boolean keepdim) { return Reductions.mean(this, axes, keepdim); }

    /** Largest element (0-D); NaN if any element is NaN. */
    public Tensor max() { return Reductions.reduce("max", ReduceOp.MAX, this, new int[0], false); }
    public Tensor min() { return Reductions.reduce("min", ReduceOp.MIN, this, new int[0], false); }

    /** Largest values over several axes (ties share the gradient). */
    public Tensor amax(int[] axes, boolean keepdim) { return Reductions.reduce("amax", ReduceOp.MAX, this, axes, keepdim); }
    public Tensor amin(int[] axes, boolean keepdim) { return Reductions.reduce("amin", ReduceOp.MIN, this, axes, keepdim); }

    /** Largest values along one axis and their indices (the first on ties; the gradient goes to that index). */
    public ValuesIndices max(int axis, boolean keepdim) { return Reductions.argReduce("max", ReduceOp.MAX, this, axis, keepdim); }
    public ValuesIndices min(int axis, boolean keepdim) { return Reductions.argReduce("min", ReduceOp.MIN, this, axis, keepdim); }

    public Tensor argmax(int axis, boolean keepdim) { return Reductions.argReduce("argmax", ReduceOp.MAX, detach(), axis, keepdim).indices(); }
    public Tensor argmin(int axis, boolean keepdim) { return Reductions.argReduce("argmin", ReduceOp.MIN, detach(), axis, keepdim).indices(); }
    public Tensor argmax(int axis) { return argmax(axis, false); }
    public Tensor argmin(int axis) { return argmin(axis, false); }

    /** Index of the largest element of the flattened tensor. */
    public Tensor argmax() { return detach().flatten().argmax(0, false); }
    public Tensor argmin() { return detach().flatten().argmin(0, false); }

    /** Variance with Bessel's correction ({@code correction} = 1) or without (0). */
    public Tensor var(int[] axes, int correction, boolean keepdim) { return Reductions.var("var", this, axes, correction, keepdim); }
    public Tensor var() { return var(new int[0], 1, false); }
    public Tensor std(int[] axes, int correction, boolean keepdim) { return Reductions.var("std", this, axes, correction, keepdim).sqrt(); }
    public Tensor std() { return std(new int[0], 1, false); }

    /** {@code log(sum(exp(x)))} over axes, computed without overflow. */
    public Tensor logsumexp(int[] axes, boolean keepdim) { return Reductions.logsumexp(this, axes, keepdim); }

    /** The p-norm over axes (p = 2 Euclidean, 1, or +inf for the largest magnitude). */
    public Tensor norm(double p, int[] axes, boolean keepdim) { return Reductions.norm(this, p, axes, keepdim); }
    public Tensor norm() { return norm(2, new int[0], false); }

    public Tensor softmax(int axis) { return Reductions.softmax(this, axis, false); }
    public Tensor logSoftmax(int axis) { return Reductions.softmax(this, axis, true); }

    // ---- sorting, scans, scatter reductions and set ops ----

    /** The indices that sort along {@code axis}: stable (ties keep their order), NaN largest (torch.argsort with
     *  stable=True); I64, never differentiable. */
    public Tensor argsort(int axis, boolean descending) { return Sorting.argsort(this, axis, descending); }

    /** The indices that sort along the last axis in ascending order. */
    public Tensor argsort() { return Sorting.argsort(this, -1, false); }

    /** Values sorted along {@code axis} (stable, NaN largest) and the indices they came from; the values are
     *  differentiable (the gradient goes back to where each value came from). */
    public ValuesIndices sort(int axis, boolean descending) { return Sorting.sort(this, axis, descending); }

    /** Sorted along the last axis in ascending order. */
    public ValuesIndices sort() { return Sorting.sort(this, -1, false); }

    /** The k largest ({@code largest}) or smallest values along {@code axis} and their indices, ties in index order
     *  (as a stable sort); always in sorted order, which {@code sorted = false} allows. */
    public ValuesIndices topk(int k, int axis, boolean largest, boolean sorted) {
        return Sorting.topk(this, k, axis, largest);
    }

    /** The k largest values along the last axis, largest first. */
    public ValuesIndices topk(int k) { return Sorting.topk(this, k, -1, true); }

    /** Running sum along {@code axis}; integers and bools accumulate in i64 (torch.cumsum). */
    public Tensor cumsum(int axis) { return Scans.cumulative("cumsum", ReduceOp.SUM, this, axis); }

    /** Running product along {@code axis}; integers and bools accumulate in i64; the gradient is exact at zeros. */
    public Tensor cumprod(int axis) { return Scans.cumulative("cumprod", ReduceOp.PROD, this, axis); }

    /** A copy with {@code src} reduced into it at {@code index} along {@code axis} (torch.scatter_reduce); without
     *  {@code includeSelf}, positions that receive values forget their own. */
    public Tensor scatterReduce(int axis, Tensor index, Tensor src, ScatterReduction reduce, boolean includeSelf) {
        return ScatterReductions.scatterReduce(this, axis, index, src, reduce, includeSelf);
    }

    /** {@link #scatterReduce(int, Tensor, Tensor, ScatterReduction, boolean)} with includeSelf = true. */
    public Tensor scatterReduce(int axis, Tensor index, Tensor src, ScatterReduction reduce) {
        return ScatterReductions.scatterReduce(this, axis, index, src, reduce, true);
    }

    /** The distinct values of the flattened tensor, ascending or ({@code sorted = false}) in order of first
     *  occurrence, with the inverse indices and counts when asked for (torch.unique without dim; NaNs stay apart). */
    public UniqueResult unique(boolean sorted, boolean returnInverse, boolean returnCounts) {
        return SetOps.unique(this, sorted, returnInverse, returnCounts);
    }

    /** The distinct values, ascending. */
    public Tensor unique() { return SetOps.unique(this, true, false, false).values(); }

    /** For each value, the index where it would be inserted to keep the last axis of {@code sortedSequence}
     *  sorted: before equal elements, or after them when {@code right} (torch.searchsorted); I64 of values' shape.
     *  The sequence is 1-D or has the leading axes of {@code values}. */
    public static Tensor searchsorted(Tensor sortedSequence, Tensor values, boolean right) {
        return SetOps.searchsorted("searchsorted", sortedSequence, values, right);
    }

    /** {@link #searchsorted(Tensor, Tensor, boolean)} with right = false. */
    public static Tensor searchsorted(Tensor sortedSequence, Tensor values) {
        return SetOps.searchsorted("searchsorted", sortedSequence, values, false);
    }

    /** The index of the bucket of each element between the sorted 1-D {@code boundaries} (torch.bucketize):
     *  {@code b[i-1] < x <= b[i]}, or {@code b[i-1] <= x < b[i]} when {@code right}; I64. */
    public Tensor bucketize(Tensor boundaries, boolean right) { return SetOps.bucketize(this, boundaries, right); }

    /** {@link #bucketize(Tensor, boolean)} with right = false. */
    public Tensor bucketize(Tensor boundaries) { return SetOps.bucketize(this, boundaries, false); }

    // =========================================================================================================
    // Indexing
    // =========================================================================================================

    /** Slices along {@code axis} at the positions in the 1-D integer {@code index}. */
    public Tensor indexSelect(int axis, Tensor index) { return Indexing.indexSelect(this, axis, index); }

    /** {@code out[i][j] = x[index[i][j]][j]} for axis 0, and so on (torch.gather). */
    public Tensor gather(int axis, Tensor index) { return Indexing.gather(this, axis, index); }

    /** A copy with {@code src} written at {@code index} along {@code axis} (torch.scatter). */
    public Tensor scatter(int axis, Tensor index, Tensor src) { return Indexing.scatter(this, axis, index, src, false); }

    /** A copy with {@code src} added at {@code index} along {@code axis}; repeated indices add up. */
    public Tensor scatterAdd(int axis, Tensor index, Tensor src) { return Indexing.scatter(this, axis, index, src, true); }

    /** One-hot encoding of an integer tensor: a new last axis of {@code numClasses}, as i64. */
    public Tensor oneHot(int numClasses) { return Indexing.oneHot(this, numClasses); }

    /** Rows of {@code weight} ({@code [V, D]}) picked by the integer {@code indices}: shape {@code indices.shape + [D]}. */
    public static Tensor embedding(Tensor weight, Tensor indices) { return Indexing.embedding(weight, indices); }

    // =========================================================================================================
    // Linear algebra
    // =========================================================================================================

    /** Matrix product with NumPy's rules: 1-D operands become vectors, leading axes broadcast as batches. */
    public Tensor matmul(Tensor other) { return LinearAlgebra.matmul(this, other); }
    /** {@code input·weightᵀ + bias} (PyTorch's {@code F.linear}): input {@code [..., K]}, weight {@code [N, K]},
     *  bias {@code [N]} or null. With a bias, one step: the product starts from the bias. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        return LinearAlgebra.linear(input, weight, bias);
    }

    /** A sparse matrix (its CSR {@code pattern} and {@code values [nnz]}) times {@code dense [cols, N]}, as
     *  {@code torch.sparse.mm}; differentiable in the values and in dense. {@link CsrMatrix#matmul} is the same. */
    public static Tensor sparseMatmul(CsrPattern pattern, Tensor values, Tensor dense) {
        return SparseMatmul.apply(pattern, values, dense);
    }

    // ---- linear algebra: inverse, solve, determinants, decompositions ----
    // Each works on the last two axes, batched over the leading ones, in f32 or f64 (computed in f64).

    /** The inverse of each square matrix {@code [..., n, n]} (torch.linalg.inv); a singular one is an error. */
    public Tensor inverse() { return Decompositions.inverse(this); }

    /** X with {@code a·X = b} (torch.linalg.solve): b is {@code [..., n, k]}, or {@code [..., n]} for vectors; batch
     *  axes broadcast; a singular {@code a} is an error. */
    public static Tensor solve(Tensor a, Tensor b) { return Decompositions.solve(a, b); }

    /** The determinant of each square matrix (torch.linalg.det): {@code sign · exp(logAbsDet)} of {@link #slogdet}. */
    public Tensor det() { return Decompositions.det(this); }

    /** Sign and log of the absolute determinant of each square matrix (torch.linalg.slogdet). */
    public Linalg.Slogdet slogdet() { return Decompositions.slogdet(this); }

    /** The lower factor L of {@code A = L·Lᵀ} for symmetric positive-definite A, of which only the lower triangle is
     *  read (torch.linalg.cholesky); A not positive-definite is an error. */
    public Tensor cholesky() { return Decompositions.cholesky(this); }

    /** Reduced QR decomposition {@code A = Q·R} (torch.linalg.qr, mode "reduced"). */
    public Linalg.Qr qr() { return Decompositions.qr(this); }

    /** Reduced singular value decomposition {@code A = U·diag(S)·Vh} (torch.linalg.svd, full_matrices=False). */
    public Linalg.Svd svd() { return Decompositions.svd(this); }

    /** Eigenvalues (ascending) and eigenvectors of symmetric matrices, of which only the lower triangle is read
     *  (torch.linalg.eigh). */
    public Linalg.Eigh eigh() { return Decompositions.eigh(this); }

    // =========================================================================================================
    // Convolution and pooling (NCHW; 1-D forms are NCL and use the width settings of the options)
    // =========================================================================================================

    /** 2-D convolution: input {@code [N, C_in, H, W]}, weight {@code [C_out, C_in/groups, kH, kW]}, bias
     *  {@code [C_out]} or null. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, ConvOptions options) {
        return Convolutions.conv2d(input, weight, bias, options);
    }

    /** 1-D convolution: input {@code [N, C_in, L]}, weight {@code [C_out, C_in/groups, k]}, bias or null. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, ConvOptions options) {
        return Convolutions.conv1d(input, weight, bias, options);
    }

    /**
     * 2-D transposed convolution (PyTorch's {@code conv_transpose2d}): input {@code [N, C_in, H, W]}, weight
     * {@code [C_in, C_out/groups, kH, kW]}, bias {@code [C_out]} or null; the output is
     * {@code [N, C_out, (H - 1)·strideH - 2·padH + dilationH·(kH - 1) + outputPaddingH + 1, …]}. Each output padding
     * must be smaller than the stride or the dilation of its axis. Computed as the input gradient of the convolution
     * with the same weight, so forward and backward run on the backend's convolution kernels.
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, ConvOptions options,
                                         int outputPaddingH, int outputPaddingW) {
        return Convolutions.convTranspose2d(input, weight, bias, options, outputPaddingH, outputPaddingW);
    }

    /** 1-D transposed convolution: input {@code [N, C_in, L]}, weight {@code [C_in, C_out/groups, k]}, bias or
     *  null; the width settings of the options and {@code outputPadding} are used (see {@link #convTranspose2d}). */
    public static Tensor convTranspose1d(Tensor input, Tensor weight, Tensor bias, ConvOptions options,
                                         int outputPadding) {
        return Convolutions.convTranspose1d(input, weight, bias, options, outputPadding);
    }

    /** The gradient of {@link #conv2d} with respect to its input (its adjoint in the input). */
    public static Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, int[] inputShape, ConvOptions options) {
        return Convolutions.conv2dInputGrad(gradOut, weight, inputShape, options);
    }

    /** The gradient of {@link #conv2d} with respect to its weight (its adjoint in the weight). */
    public static Tensor conv2dWeightGrad(Tensor input, Tensor gradOut, int[] weightShape, ConvOptions options) {
        return Convolutions.conv2dWeightGrad(input, gradOut, weightShape, options);
    }

    /** Max pooling of {@code [N, C, H, W]}: values and the flat index {@code h*W + w} of each within its plane. */
    public ValuesIndices maxPool2d(PoolOptions options) {
        return Convolutions.maxPool2d(this, options);
    }

    /** Max pooling of {@code [N, C, L]}: values and the position of each within its row. */
    public ValuesIndices maxPool1d(PoolOptions options) {
        return Convolutions.maxPool1d(this, options);
    }

    /**
     * The values of {@link #maxPool2d(PoolOptions)} alone (as PyTorch's {@code max_pool2d} without
     * {@code return_indices}): when no gradient is recorded the indices are never computed, which makes inference
     * faster; with gradients recorded it is {@code maxPool2d(options).values()}.
     */
    public Tensor maxPool2dValues(PoolOptions options) {
        return Convolutions.maxPool2dValues(this, options);
    }

    /** The values of {@link #maxPool1d(PoolOptions)} alone, as {@link #maxPool2dValues}. */
    public Tensor maxPool1dValues(PoolOptions options) {
        return Convolutions.maxPool1dValues(this, options);
    }

    /** Routes {@code gradOut} back to the positions {@code indices} (from maxPool2d) came from. */
    public static Tensor maxPool2dBackward(Tensor gradOut, Tensor indices, int[] inputShape, PoolOptions options) {
        return Convolutions.maxPool2dBackward(gradOut, indices, inputShape, options);
    }

    public Tensor avgPool2d(PoolOptions options) {
        return Convolutions.avgPool2d(this, options);
    }

    public Tensor avgPool1d(PoolOptions options) {
        return Convolutions.avgPool1d(this, options);
    }

    /** The adjoint of {@link #avgPool2d}. */
    public static Tensor avgPool2dBackward(Tensor gradOut, int[] inputShape, PoolOptions options) {
        return Convolutions.avgPool2dBackward(gradOut, inputShape, options);
    }

    // =========================================================================================================
    // Comparison and printing
    // =========================================================================================================

    /** True when shapes match and {@code |a - b| <= atol + rtol * |b|} everywhere (NaN equal to NaN if asked). */
    public boolean allClose(Tensor other, double rtol, double atol, boolean equalNan) {
        if (!sameShape(other)) {
            return false;
        }
        double[] a = toDoubleArray();
        double[] b = other.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(a[i]) || Double.isNaN(b[i])) {
                if (!(equalNan && Double.isNaN(a[i]) && Double.isNaN(b[i]))) {
                    return false;
                }
            } else if (a[i] != b[i] && !(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i]))) {
                return false;
            }
        }
        return true;
    }

    /** {@code allClose} with NumPy's default tolerances (rtol 1e-5, atol 1e-8). */
    public boolean allClose(Tensor other) {
        return allClose(other, 1e-5, 1e-8, false);
    }

    /** NumPy-style text: values (truncated when large), shape and dtype, and the grad state when there is one. */
    @Override
    public String toString() {
        String s = TensorFormat.format(this);
        String extra = gradFn != null ? ", gradFn=" + gradFn : requiresGrad ? ", requiresGrad=true" : "";
        return extra.isEmpty() ? s : s.substring(0, s.length() - 1) + extra + ")";
    }
}
