package dev.deneb.cuda.ffm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds and opens the NVIDIA libraries. Nothing is bundled and nothing is downloaded: each library is looked for, by
 * its exact versioned file name, in these directories, in order:
 * <ol>
 *   <li>the system property {@value #PATH_PROPERTY} (a path list separated by {@code :}), for unusual installs;</li>
 *   <li>{@code LD_LIBRARY_PATH};</li>
 *   <li>{@code /usr/lib/x86_64-linux-gnu}, {@code /usr/lib64}, {@code /usr/lib/wsl/lib} (the driver's usual homes),
 *       {@code /usr/local/cuda/lib64}, every {@code /usr/local/cuda-*}{@code /lib64} (newest first) and
 *       {@code /usr/local/nvidia/lib64} (containers).</li>
 * </ol>
 * When the file is in none of them, the dynamic linker is asked for the bare name as a last resort (it also knows
 * {@code ld.so.cache}).
 */
@SuppressWarnings("restricted") // native access is this class's purpose
public final class NativeLibraries {
    /** Extra directories to search first, separated by {@code :}. */
    public static final String PATH_PROPERTY = "deneb.cuda.path";

    /** The driver API. */
    public static final List<String> DRIVER = List.of("libcuda.so.1");
    /** cuBLAS: CUDA 13 first, then CUDA 12. */
    public static final List<String> CUBLAS = List.of("libcublas.so.13", "libcublas.so.12");
    /** cuDNN 9 (looked for, not used yet: see the README). */
    public static final List<String> CUDNN = List.of("libcudnn.so.9");

    private NativeLibraries() {}

    /** The directories searched, in order (only those that exist). */
    public static List<Path> searchPath() {
        Set<Path> dirs = new LinkedHashSet<>();
        addPathList(dirs, System.getProperty(PATH_PROPERTY));
        addPathList(dirs, System.getenv("LD_LIBRARY_PATH"));
        for (String d : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib/wsl/lib",
                "/usr/local/cuda/lib64"}) {
            dirs.add(Path.of(d));
        }
        dirs.addAll(versionedCudaDirs(Path.of("/usr/local")));
        dirs.add(Path.of("/usr/local/nvidia/lib64"));
        List<Path> existing = new ArrayList<>();
        for (Path p : dirs) {
            if (Files.isDirectory(p)) {
                existing.add(p);
            }
        }
        return existing;
    }

    /** The first file named one of {@code names} (tried in order) in {@link #searchPath()}. */
    public static Optional<Path> find(List<String> names) {
        List<Path> dirs = searchPath();
        for (String name : names) {
            for (Path d : dirs) {
                Path f = d.resolve(name);
                if (Files.isRegularFile(f)) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Opens the first of {@code names} that can be found, for the lifetime of the JVM.
     *
     * @throws UnsatisfiedLinkError naming the files and directories tried
     */
    public static SymbolLookup open(List<String> names) {
        Optional<Path> file = find(names);
        if (file.isPresent()) {
            return SymbolLookup.libraryLookup(file.get(), Arena.global());
        }
        for (String name : names) {
            try {
                return SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException notFound) {
                // try the next name
            }
        }
        throw new UnsatisfiedLinkError(describeMissing(names));
    }

    /** "libcuda.so.1 not found in /a, /b (set -Ddeneb.cuda.path=DIR ...)". */
    public static String describeMissing(List<String> names) {
        List<String> dirs = new ArrayList<>();
        for (Path p : searchPath()) {
            dirs.add(p.toString());
        }
        return String.join(" or ", names) + " not found in " + (dirs.isEmpty() ? "(no search directory exists)"
                : String.join(", ", dirs)) + " nor by the dynamic linker; set -D" + PATH_PROPERTY
                + "=DIR (or LD_LIBRARY_PATH) if it is installed elsewhere";
    }

    private static void addPathList(Set<Path> dirs, String list) {
        if (list == null || list.isBlank()) {
            return;
        }
        for (String s : list.split(":")) {
            if (!s.isBlank()) {
                dirs.add(Path.of(s.trim()));
            }
        }
    }

    /** {@code /usr/local/cuda-X.Y/lib64}, newest version first. */
    static List<Path> versionedCudaDirs(Path root) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, "cuda-*")) {
            for (Path p : ds) {
                found.add(p.resolve("lib64"));
            }
        } catch (IOException e) {
            return found;
        }
        found.sort((a, b) -> compareVersions(version(b), version(a)));
        return found;
    }

    private static int[] version(Path lib64) {
        String name = lib64.getParent().getFileName().toString().substring("cuda-".length());
        String[] parts = name.split("\\.");
        int[] v = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                v[i] = -1;
            }
        }
        return v;
    }

    private static int compareVersions(int[] a, int[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? a[i] : 0;
            int y = i < b.length ? b[i] : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }
}
