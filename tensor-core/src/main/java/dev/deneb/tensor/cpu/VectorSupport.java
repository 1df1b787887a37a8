package dev.deneb.tensor.cpu;

/**
 * Whether the CPU kernels may use the Vector API, decided once per JVM before any class that touches it loads.
 *
 * <p>The Vector API lives in the incubator module {@code jdk.incubator.vector}, which the JVM resolves only when
 * started with {@code --add-modules jdk.incubator.vector} (or when a named module {@code requires} it). Without it
 * the first class that mentions a vector type fails to link with {@code NoClassDefFoundError}, even on a scalar
 * path: verifying it loads Vector API types (the error names {@code jdk/incubator/vector/Vector}). So the
 * rule in this package: the vector loops live in package-private classes of their own ({@link VectorKernels},
 * {@link VectorMath}, the {@code *VectorRuns} and {@code *VectorRows} classes, the GEMM kernels
 * {@code Sgemm{MicroKernel,Direct,Dot,Narrow,VectorPacking}}, {@link VectorProbe}; VectorApiConfinementTest keeps
 * the list), which take and return only arrays and primitives, and every call into them sits behind
 * {@link #ENABLED} (or a constant derived from it). Every other class stays loadable without the module, and then
 * runs its scalar twin on the same threads and cache blocks.
 *
 * <p>{@code -Ddeneb.vector=false} turns the vectors off on purpose: then no vector class is loaded at all and
 * nothing is printed. Missing the module without asking for that prints one warning per JVM.
 */
final class VectorSupport {
    /** The module that holds the Vector API. */
    static final String MODULE = "jdk.incubator.vector";
    /** The JVM option that resolves it. */
    static final String FLAG = "--add-modules " + MODULE;
    /**
     * What the scalar kernels cost, so users can judge whether to care. Measured on an AMD EPYC Zen 5 (AVX-512,
     * 512-bit vectors), one thread, six runs each way on a busy shared machine (medians of the per-run ratios):
     * GEMM n=512 about 3 against 66 GFLOP/s (20x; 8x to 40x), a 784-256-128-10 MLP training step with Adam at batch
     * 128 about 47 against 11 ms (4x), tanh over 1M floats 20x. Not yet measured on a 256-bit (AVX2) machine.
     */
    static final String COST = "on an AVX-512 machine matrix products ran about 20x slower and an MLP training step"
            + " about 4x slower";

    /** True when the Vector API module is resolved and {@code deneb.vector} is not {@code false}. */
    static final boolean ENABLED = decide();

    private VectorSupport() {}

    /** Whether {@code jdk.incubator.vector} is in the boot layer; asks without loading any class of it. */
    static boolean modulePresent() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /** False when {@code -Ddeneb.vector=false}: the user asked for scalar kernels. */
    static boolean requested() {
        return !"false".equalsIgnoreCase(System.getProperty("deneb.vector", "true").trim());
    }

    /** The warning printed once when the module is missing. */
    static String missingModuleWarning() {
        return "Deneb: the Vector API module " + MODULE + " is not enabled in this JVM, so the CPU kernels run as"
                + " plain scalar loops (" + COST + "). Start Java with " + FLAG + " to use SIMD instructions, or"
                + " pass -Ddeneb.vector=false to choose scalar kernels without this warning.";
    }

    private static boolean decide() {
        if (!requested()) {
            return false;
        }
        if (!modulePresent()) {
            // System.Logger, not System.err: applications route it (JUL by default, SLF4J or Log4j through their
            // LoggerFinder), and Spark executors then put it in their logs.
            System.getLogger("dev.deneb.tensor").log(System.Logger.Level.WARNING, missingModuleWarning());
            return false;
        }
        return true;
    }
}
