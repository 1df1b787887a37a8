package dev.deneb.tensor;

import dev.deneb.tensor.cpu.FastCpuBackend;
import dev.deneb.tensor.cpu.ReferenceBackend;

/**
 * Where new tensors are created. The default is the fast CPU backend; the system property
 * {@code deneb.backend=reference} selects the plain scalar one (useful when hunting a kernel bug).
 */
public final class Backends {
    private static volatile Backend current = initial();

    private Backends() {}

    /** The backend that creation functions ({@code zeros}, {@code of}, {@code randn}…) use. */
    public static Backend current() {
        return current;
    }

    public static void setCurrent(Backend backend) {
        if (backend == null) {
            throw new IllegalArgumentException("Backends.setCurrent: backend is null");
        }
        current = backend;
    }

    /** The plain scalar CPU backend, the reference every other backend is tested against. */
    public static Backend reference() {
        return ReferenceBackend.INSTANCE;
    }

    /** The multithreaded CPU backend: Vector API kernels, or their scalar twins on the same threads when the JVM
     *  was started without {@code --add-modules jdk.incubator.vector} (it then logs one warning). */
    public static Backend cpu() {
        return FastCpuBackend.INSTANCE;
    }

    private static Backend initial() {
        String name = System.getProperty("deneb.backend", "cpu");
        return switch (name) {
            case "cpu", "fast" -> cpu();
            case "reference" -> reference();
            default -> throw new IllegalArgumentException("deneb.backend: unknown backend '" + name
                    + "' (expected cpu or reference)");
        };
    }
}
