package dev.deneb.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the shared data root (the folder holding {@code mnist/}, {@code sdss/}…). Data is never part of the
 * repository; it lives in {@code ../shared/data} beside the checkout, or in a {@code data/} folder made by the
 * examples' {@code download} command. In order:
 * <ol>
 *   <li>the system property {@code deneb.data},</li>
 *   <li>the environment variable {@code DENEB_DATA},</li>
 *   <li>walking up from the working directory (a module directory under Maven, the repository root, or anywhere
 *       below them), in each directory: its {@code shared/data} folder, then its {@code data} folder if that holds
 *       the marker file {@value #MARKER} (written by {@code download}; the marker keeps an unrelated
 *       {@code data} folder higher up from being taken for ours).</li>
 * </ol>
 */
public final class DataPaths {
    public static final String PROPERTY = "deneb.data";
    public static final String ENV = "DENEB_DATA";
    /** Marks a {@code data/} folder as a Deneb data root (see the class comment). */
    public static final String MARKER = ".deneb-data";

    private DataPaths() {}

    /** The data root, if one of the places above names an existing directory. */
    public static Optional<Path> root() {
        Optional<Path> configured = configured();
        if (configured.isPresent()) {
            return configured.filter(Files::isDirectory);
        }
        return searchUpFrom(Path.of(""));
    }

    /**
     * Where the {@code download} command puts data by default: the configured root (made if missing), else the
     * root found above, else {@code data} in the working directory (which {@link #root()} then finds once it holds
     * the marker).
     */
    public static Path downloadRoot() {
        return configured().or(() -> searchUpFrom(Path.of("")))
                .orElseGet(() -> Path.of("data").toAbsolutePath().normalize());
    }

    /** The search of step 3, from {@code start} upwards. */
    static Optional<Path> searchUpFrom(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path shared = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(shared)) {
                return Optional.of(shared.normalize());
            }
            Path data = dir.resolve("data");
            if (Files.isRegularFile(data.resolve(MARKER))) {
                return Optional.of(data.normalize());
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> configured() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured).toAbsolutePath().normalize());
        }
        return Optional.empty();
    }

    /** {@code root()/name} if that directory exists, e.g. {@code find("mnist")}. */
    public static Optional<Path> find(String name) {
        return root().map(r -> r.resolve(name)).filter(Files::isDirectory);
    }

    /** {@code root()/name}, or an exception that says where was looked and how to point at the data. */
    public static Path require(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("data folder '" + name
                + "' not found: looked in " + describeSearch() + "; set -D" + PROPERTY + "=DIR or " + ENV
                + "=DIR to the folder that holds '" + name + "/', or fetch it with the examples' 'download "
                + name + "' command"));
    }

    /** Where {@link #root()} looks, for error and skip messages. */
    public static String describeSearch() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return "-D" + PROPERTY + "=" + configured;
        }
        configured = System.getenv(ENV);
        if (configured != null && !configured.isBlank()) {
            return ENV + "=" + configured;
        }
        return "shared/data (or data/ holding " + MARKER + ") in " + Path.of("").toAbsolutePath()
                + " and its parents";
    }
}
