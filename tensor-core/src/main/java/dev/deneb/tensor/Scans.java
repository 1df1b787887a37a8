package dev.deneb.tensor;

/**
 * Running sums and products along an axis: one primitive ({@link Primitive.Cumulative}) whose kernel is the
 * backend's scan. Integers and booleans accumulate in I64, as torch.cumsum does; floats keep their dtype.
 */
final class Scans {
    private Scans() {}

    static Tensor cumulative(String name, ReduceOp op, Tensor x, int axis) {
        if (x.dim() == 0) {
            // A 0-D tensor is a line of one element (axis 0 or -1), as in PyTorch.
            Shapes.axis(name, axis, 1);
            return cumulative(name, op, x.reshape(1), 0).reshape();
        }
        int a = Shapes.axis(name, axis, x.dim());
        return Tape.run(new Primitive.Cumulative(op, a), () -> x.backend().cumulative(op, x, a), x);
    }
}
