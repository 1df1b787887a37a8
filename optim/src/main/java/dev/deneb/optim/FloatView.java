package dev.deneb.optim;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.cpu.CpuStorage;

/**
 * The raw {@code float[]} behind a contiguous f32 CPU tensor, for the fused optimizer loops: element {@code i} of
 * the tensor is {@code array[offset + i]}.
 */
record FloatView(float[] array, int offset) {

    /** The view, or null when the tensor is not f32, not contiguous or not in CPU storage. */
    static FloatView of(Tensor t) {
        if (t.dtype() == DType.F32 && t.isContiguous() && t.storage() instanceof CpuStorage cpu) {
            return new FloatView(cpu.floats(), t.offset());
        }
        return null;
    }

    /** Views of all tensors, or null unless every one of them has a view. */
    static FloatView[] all(Tensor... ts) {
        FloatView[] out = new FloatView[ts.length];
        for (int i = 0; i < ts.length; i++) {
            out[i] = ts[i] == null ? null : of(ts[i]);
            if (ts[i] != null && out[i] == null) {
                return null;
            }
        }
        return out;
    }
}
