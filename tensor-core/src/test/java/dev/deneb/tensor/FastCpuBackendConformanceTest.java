package dev.deneb.tensor;

/** The conformance suite on the fast CPU backend (Vector API, multithreaded) against the scalar reference. */
class FastCpuBackendConformanceTest extends BackendConformance {
    @Override
    protected Backend backend() {
        return Backends.cpu();
    }
}
