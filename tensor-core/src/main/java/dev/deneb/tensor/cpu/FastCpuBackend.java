package dev.deneb.tensor.cpu;

/**
 * The fast CPU backend: Vector API kernels and both cores for the hot f32 paths (GEMM, convolution, elementwise,
 * reductions, softmax, strided copies); everything else falls back to the reference implementation it extends.
 */
public final class FastCpuBackend extends ReferenceBackend {
    public static final FastCpuBackend INSTANCE = new FastCpuBackend();

    private FastCpuBackend() {}

    @Override
    public String name() {
        return "cpu";
    }
}
