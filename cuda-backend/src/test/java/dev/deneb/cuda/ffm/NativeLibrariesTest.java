package dev.deneb.cuda.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Library lookup order, without loading anything. */
class NativeLibrariesTest {
    @Test
    void systemPropertyDirectoriesComeFirst(@TempDir Path tmp) throws IOException {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        Files.createFile(b.resolve("libcublas.so.12"));
        Files.createFile(a.resolve("libcublas.so.12"));
        String saved = System.getProperty(NativeLibraries.PATH_PROPERTY);
        System.setProperty(NativeLibraries.PATH_PROPERTY, a + ":" + b);
        try {
            List<Path> path = NativeLibraries.searchPath();
            assertEquals(a, path.get(0));
            assertEquals(b, path.get(1));
            assertEquals(a.resolve("libcublas.so.12"), NativeLibraries.find(NativeLibraries.CUBLAS).orElseThrow());
            // A CUDA 13 cuBLAS anywhere on the path wins over a CUDA 12 one earlier on it.
            Files.createFile(b.resolve("libcublas.so.13"));
            assertEquals(b.resolve("libcublas.so.13"), NativeLibraries.find(NativeLibraries.CUBLAS).orElseThrow());
        } finally {
            if (saved == null) {
                System.clearProperty(NativeLibraries.PATH_PROPERTY);
            } else {
                System.setProperty(NativeLibraries.PATH_PROPERTY, saved);
            }
        }
    }

    @Test
    void versionedCudaDirectoriesNewestFirst(@TempDir Path tmp) throws IOException {
        for (String v : new String[] {"cuda-12.4", "cuda-13.0", "cuda-12.10", "cuda-11.8"}) {
            Files.createDirectories(tmp.resolve(v).resolve("lib64"));
        }
        List<Path> dirs = NativeLibraries.versionedCudaDirs(tmp);
        assertEquals(List.of("cuda-13.0", "cuda-12.10", "cuda-12.4", "cuda-11.8"),
                dirs.stream().map(p -> p.getParent().getFileName().toString()).toList());
    }

    @Test
    void missingLibraryMessageSaysWhereItLookedAndWhatToSet() {
        String m = NativeLibraries.describeMissing(List.of("libnothing.so.7"));
        assertTrue(m.startsWith("libnothing.so.7 not found in "), m);
        assertTrue(m.contains("-Ddeneb.cuda.path=DIR"), m);
    }
}
