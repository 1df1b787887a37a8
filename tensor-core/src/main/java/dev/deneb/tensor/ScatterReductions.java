package dev.deneb.tensor;

/**
 * torch.scatter_reduce: src reduced into a copy of x at index along an axis, with the checks of
 * {@link Tensor#scatter}. One primitive ({@link Primitive.ScatterReduce}) with its own rule.
 */
final class ScatterReductions {
    private ScatterReductions() {}

    static Tensor scatterReduce(Tensor x, int axis, Tensor index, Tensor src, ScatterReduction reduce,
                                boolean includeSelf) {
        if (reduce == null) {
            throw new IllegalArgumentException("scatterReduce: reduce must be one of sum, mean, amax, amin, got null");
        }
        Indexing.ScatterArgs s = Indexing.scatterArgs("scatterReduce", x, axis, index, src);
        return Tape.run(new Primitive.ScatterReduce(s.axis(), s.index(), reduce, includeSelf),
                () -> x.backend().scatterReduce(x, s.axis(), s.index(), s.src(), reduce, includeSelf), x, s.src());
    }
}
