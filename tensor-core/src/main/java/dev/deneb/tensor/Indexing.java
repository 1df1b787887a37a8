package dev.deneb.tensor;

/** Index-based ops: checks (integer dtype, ranks, every index in range) before the backend runs. */
final class Indexing {
    private Indexing() {}

    static Tensor indexSelect(Tensor x, int axis, Tensor index) {
        return indexSelect("indexSelect", x, axis, index);
    }

    private static Tensor indexSelect(String op, Tensor x, int axis, Tensor index) {
        Shapes.sameBackend(op, x, index);
        if (index.dim() > 1) {
            throw new IllegalArgumentException(op + ": index must be 0-D or 1-D, got shape "
                    + Shapes.str(index.shape()));
        }
        Tensor in = x.dim() == 0 ? x.reshape(1) : x;
        int a = Shapes.axis(op, axis, in.dim());
        Tensor idx = checkedIndex(op, index, in.shape()[a], a, in).reshape(-1);
        Tensor r = Tape.run(new Primitive.IndexSelect(a, idx), () -> in.backend().indexSelect(in, a, idx), in);
        return x.dim() == 0 ? r.reshape() : r;
    }

    static Tensor gather(Tensor x, int axis, Tensor index) {
        Shapes.sameBackend("gather", x, index);
        int a = Shapes.axis("gather", axis, Math.max(1, x.dim()));
        checkCompanionShape("gather", x, index, a, "index");
        Tensor idx = checkedIndex("gather", index, x.dim() == 0 ? 1 : x.shape()[a], a, x);
        return Tape.run(new Primitive.Gather(a, idx), () -> x.backend().gather(x, a, idx), x);
    }

    static Tensor scatter(Tensor x, int axis, Tensor index, Tensor src, boolean accumulate) {
        String op = accumulate ? "scatterAdd" : "scatter";
        ScatterArgs s = scatterArgs(op, x, axis, index, src);
        return Tape.run(new Primitive.Scatter(s.axis(), s.index(), accumulate),
                () -> x.backend().scatter(x, s.axis(), s.index(), s.src(), accumulate), x, s.src());
    }

    /** The checked arguments of a scatter: the normalised axis, the index as i64 (every value in range) and src
     *  cut to the index's shape and converted to x's dtype. */
    record ScatterArgs(int axis, Tensor index, Tensor src) {}

    /** Checks the arguments of a scatter-like op (torch's rules) and prepares them for the backend. */
    static ScatterArgs scatterArgs(String op, Tensor x, int axis, Tensor index, Tensor src) {
        Shapes.sameBackend(op, x, index);
        Shapes.sameBackend(op, x, src);
        int a = Shapes.axis(op, axis, Math.max(1, x.dim()));
        checkCompanionShape(op, x, index, a, "index");
        if (src.dim() != index.dim()) {
            throw new IllegalArgumentException(op + ": src of shape " + Shapes.str(src.shape())
                    + " must have the rank of index " + Shapes.str(index.shape()));
        }
        for (int d = 0; d < index.dim(); d++) {
            if (index.shape()[d] > src.shape()[d]) {
                throw new IllegalArgumentException(op + ": index of shape " + Shapes.str(index.shape())
                        + " is larger than src " + Shapes.str(src.shape()) + " along axis " + d);
            }
        }
        Tensor idx = checkedIndex(op, index, x.dim() == 0 ? 1 : x.shape()[a], a, x);
        Tensor s = src;
        for (int d = 0; d < index.dim(); d++) {
            s = s.narrow(d, 0, index.shape()[d]);
        }
        return new ScatterArgs(a, idx, s.to(x.dtype()));
    }

    static Tensor oneHot(Tensor labels, int numClasses) {
        if (labels.dtype().isFloating() || labels.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("oneHot: labels must be i32 or i64, got " + labels.dtype());
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("oneHot: numClasses must be >= 1, got " + numClasses);
        }
        checkedIndex("oneHot", labels, numClasses, -1, labels);
        int[] shape = java.util.Arrays.copyOf(labels.shape(), labels.dim() + 1);
        shape[labels.dim()] = numClasses;
        Tensor idx = labels.to(DType.I64).unsqueeze(labels.dim());
        Tensor zeros = Tensor.empty(labels.backend(), DType.I64, shape);
        return zeros.scatter(labels.dim(), idx, Tensor.onesLike(idx));
    }

    static Tensor embedding(Tensor weight, Tensor indices) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("embedding: weight must be [numEmbeddings, dim], got shape "
                    + Shapes.str(weight.shape()));
        }
        int[] shape = java.util.Arrays.copyOf(indices.shape(), indices.dim() + 1);
        shape[indices.dim()] = weight.shape()[1];
        return indexSelect("embedding", weight, 0, indices.reshape(-1)).reshape(shape);
    }

    /** index must have x's rank and be no larger than x on every axis except {@code axis} (torch's rule). */
    private static void checkCompanionShape(String op, Tensor x, Tensor index, int axis, String what) {
        int rank = Math.max(1, x.dim());
        if (index.dim() != rank && !(x.dim() == 0 && index.dim() <= 1)) {
            throw new IllegalArgumentException(op + ": " + what + " of shape " + Shapes.str(index.shape())
                    + " must have the same rank as the input " + Shapes.str(x.shape()));
        }
        for (int d = 0; d < index.dim() && x.dim() > 0; d++) {
            if (d != axis && index.shape()[d] > x.shape()[d]) {
                throw new IllegalArgumentException(op + ": " + what + " of shape " + Shapes.str(index.shape())
                        + " is larger than the input " + Shapes.str(x.shape()) + " along axis " + d);
            }
        }
    }

    /** The index as i64, after checking its dtype and that every value lies in {@code [0, size)} (one pass over
     *  the index through {@link Backend#indexRange}, not two reductions). */
    private static Tensor checkedIndex(String op, Tensor index, int size, int axis, Tensor x) {
        if (index.dtype() != DType.I64 && index.dtype() != DType.I32) {
            throw new IllegalArgumentException(op + ": index must be i32 or i64, got " + index.dtype());
        }
        if (index.numel() > 0) {
            long[] range = index.backend().indexRange(index);  // one pass on the CPU backends
            long lo = range[0];
            long hi = range[1];
            if (lo < 0 || hi >= size) {
                long bad = lo < 0 ? lo : hi;
                String valid = size == 0 ? "none (the axis is empty)" : "0 .. " + (size - 1);
                String where = axis >= 0 ? " for axis " + axis + " of size " + size + " (valid " + valid
                        + "; input shape " + Shapes.str(x.shape()) + ")" : " (expected " + valid + ")";
                throw new IllegalArgumentException(op + ": index " + bad + " is out of range" + where);
            }
        }
        return index.to(DType.I64);
    }
}
