package dev.deneb.cuda;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.BackendConformance;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * tensor-core's conformance suite on the GPU: every op against the CPU reference, with the tolerances stated in
 * {@link BackendConformance}. Skipped, with the reason, where no GPU can be used.
 */
class CudaBackendConformanceTest extends BackendConformance {
    @BeforeAll
    static void needsGpu() {
        Assumptions.assumeTrue(CudaBackend.available(), () -> "no usable GPU: " + CudaBackend.unavailableReason());
    }

    @Override
    protected Backend backend() {
        return CudaBackend.get();
    }

    /** The GPU has no CPU thread count to vary; run the large cases once. */
    @Override
    protected int[] threadCounts() {
        return new int[] {1};
    }
}
