package dev.deneb.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.Backends;
import dev.deneb.tensor.DType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What a machine without a GPU sees: a clear reason, a clear exception, and a tensor-core that never mentions this
 * module. The availability tests are skipped (with that reason) where a GPU is usable.
 */
class NoGpuBehaviourTest {
    private static void assumeNoGpu() {
        Assumptions.assumeFalse(CudaBackend.available(), "a GPU is usable here: " + CudaBackend.class.getSimpleName()
                + " is available, so the no-GPU behaviour cannot be observed");
    }

    @Test
    void unavailableWithAHelpfulReason() {
        assumeNoGpu();
        String reason = CudaBackend.unavailableReason();
        assertNotNull(reason);
        // Either the driver library is missing (it names where it looked and how to point elsewhere) or the driver
        // found no device; both are worth reading.
        assertTrue(reason.contains("libcuda.so.1") || reason.contains("CUDA_ERROR") || reason.contains("GPU"),
                reason);
        if (reason.contains("libcuda.so.1 not found")) {
            assertTrue(reason.contains("deneb.cuda.path"), reason);
        }
    }

    @Test
    void getThrowsAClearMessage() {
        assumeNoGpu();
        IllegalStateException e = assertThrows(IllegalStateException.class, CudaBackend::get);
        assertEquals("CUDA backend unavailable: " + CudaBackend.unavailableReason(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void serviceLoaderFindsTheBackendWithoutTouchingTheGpu() {
        List<Backend> found = ServiceLoader.load(Backend.class).stream().map(ServiceLoader.Provider::get).toList();
        Backend cuda = found.stream().filter(b -> b instanceof CudaBackend).findFirst().orElseThrow();
        assertEquals("cuda", cuda.name());
        if (!CudaBackend.available()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cuda.allocate(DType.F32, 4));
            assertTrue(e.getMessage().startsWith("CUDA backend unavailable: "), e.getMessage());
        }
    }

    @Test
    void defaultBackendIsStillTheCpu() {
        assertTrue(Backends.current().name().startsWith("cpu"), Backends.current().name());
    }

    /** No class of tensor-core refers to dev.deneb.cuda: the CPU build never depends on this module. */
    @Test
    void tensorCoreNeverReferencesTheCudaModule() throws IOException, URISyntaxException {
        Path core = Path.of(Backends.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        byte[] needle = "dev/deneb/cuda".getBytes(StandardCharsets.UTF_8);
        byte[] dotted = "dev.deneb.cuda".getBytes(StandardCharsets.UTF_8);
        int checked = 0;
        if (Files.isDirectory(core)) {
            try (Stream<Path> files = Files.walk(core)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    byte[] bytes = Files.readAllBytes(f);
                    assertFalse(contains(bytes, needle) || contains(bytes, dotted), f + " refers to dev.deneb.cuda");
                    checked++;
                }
            }
        } else {
            try (JarFile jar = new JarFile(core.toFile())) {
                for (JarEntry e : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                    try (InputStream in = jar.getInputStream(e)) {
                        byte[] bytes = in.readAllBytes();
                        assertFalse(contains(bytes, needle) || contains(bytes, dotted),
                                e.getName() + " refers to dev.deneb.cuda");
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 20, "checked " + checked + " classes of " + core);
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
