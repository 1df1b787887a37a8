package dev.deneb.tensor;

import java.util.ArrayList;
import java.util.List;

/** Concatenation, stacking, splitting. */
final class Joining {
    private Joining() {}

    static Tensor cat(int axis, List<Tensor> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("cat: expected at least one tensor");
        }
        Tensor first = tensors.get(0);
        if (first.dim() == 0) {
            throw new IllegalArgumentException("cat: cannot concatenate 0-D tensors; use stack");
        }
        int a = Shapes.axis("cat", axis, first.dim());
        DType dtype = first.dtype();
        int total = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            Shapes.sameBackend("cat", first, t);
            if (t.dim() != first.dim()) {
                throw new IllegalArgumentException("cat: tensor " + i + " has shape " + Shapes.str(t.shape())
                        + ", expected rank " + first.dim() + " like " + Shapes.str(first.shape()));
            }
            for (int d = 0; d < t.dim(); d++) {
                if (d != a && t.shape()[d] != first.shape()[d]) {
                    throw new IllegalArgumentException("cat: tensor " + i + " has shape " + Shapes.str(t.shape())
                            + ", which differs from " + Shapes.str(first.shape()) + " outside axis " + a);
                }
            }
            dtype = DType.promote(dtype, t.dtype());
            total += t.shape()[a];
        }
        int[] shape = first.shape();
        shape[a] = total;
        Tensor[] parts = new Tensor[tensors.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = tensors.get(i).to(dtype);
        }
        DType dt = dtype;
        return Tape.run(new Primitive.Cat(a), () -> {
            Tensor out = Tensor.empty(first.backend(), dt, shape);
            int at = 0;
            for (Tensor t : parts) {
                int n = t.shape()[a];
                out.backend().copy(t, out.narrow(a, at, n));
                at += n;
            }
            return out;
        }, parts);
    }

    /** A copy of {@code base} with {@code src} (in base's dtype) written into {@code region}. */
    static Tensor regionScatter(Tensor base, Tensor src, Primitive.Region region) {
        String op = region.name() + "Scatter";
        Shapes.sameBackend(op, base, src);
        int[] target = region.of(base.detach()).shape();
        if (!java.util.Arrays.equals(src.shape(), target)) {
            throw new IllegalArgumentException(op + ": src of shape " + Shapes.str(src.shape()) + " does not fit the "
                    + region.name() + " of shape " + Shapes.str(target) + " of a tensor of shape "
                    + Shapes.str(base.shape()) + " (" + region + ")");
        }
        Tensor s = src.to(base.dtype());
        return Tape.run(new Primitive.RegionScatter(region), () -> {
            Tensor out = base.copy();
            out.backend().copy(s, region.of(out));
            return out;
        }, base, s);
    }

    static Tensor stack(int axis, List<Tensor> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: expected at least one tensor");
        }
        int a = Shapes.axis("stack", axis, tensors.get(0).dim() + 1);
        List<Tensor> parts = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            if (!tensors.get(i).sameShape(tensors.get(0))) {
                throw new IllegalArgumentException("stack: tensor " + i + " has shape "
                        + Shapes.str(tensors.get(i).shape()) + ", expected " + Shapes.str(tensors.get(0).shape()));
            }
            parts.add(tensors.get(i).unsqueeze(a));
        }
        return cat(a, parts);
    }

    static List<Tensor> split(Tensor x, int size, int axis) {
        int a = Shapes.axis("split", axis, x.dim());
        if (size <= 0) {
            throw new IllegalArgumentException("split: size must be >= 1, got " + size);
        }
        int n = x.shape()[a];
        List<Tensor> out = new ArrayList<>();
        for (int start = 0; start < n; start += size) {
            out.add(x.narrow(a, start, Math.min(size, n - start)));
        }
        if (n == 0) {
            out.add(x);
        }
        return out;
    }

    static List<Tensor> split(Tensor x, int[] sizes, int axis) {
        int a = Shapes.axis("split", axis, x.dim());
        int sum = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split: sizes must be >= 0, got " + Shapes.str(sizes));
            }
            sum += s;
        }
        if (sum != x.shape()[a]) {
            throw new IllegalArgumentException("split: sizes " + Shapes.str(sizes) + " add up to " + sum
                    + ", but axis " + a + " of shape " + Shapes.str(x.shape()) + " has " + x.shape()[a]);
        }
        List<Tensor> out = new ArrayList<>();
        int at = 0;
        for (int s : sizes) {
            out.add(x.narrow(a, at, s));
            at += s;
        }
        return out;
    }

    static List<Tensor> chunk(Tensor x, int chunks, int axis) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: chunks must be >= 1, got " + chunks);
        }
        int a = Shapes.axis("chunk", axis, x.dim());
        int size = Math.max(1, Math.ceilDiv(x.shape()[a], chunks));
        return split(x, size, a);
    }
}
