package dev.deneb.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the shared data root (the folder holding {@code mnist/}, {@code sdss/}…). Data is never part of the
 * repository; it lives in {@code ../shared/data} beside the checkout. In order:
 * <ol>
 *   <li>the system property {@code deneb.data},</li>
 *   <li>the environment variable {@code DENEB_DATA},</li>
 *   <li>the first {@code shared/data} folder found walking up from the working directory (a module directory
 *       under Maven, the repository root, or anywhere below them).</li>
 * </ol>
 */
public final class DataPaths {
    public static final String PROPERTY = "deneb.data";
    public static final String ENV = "DENEB_DATA";

    private DataPaths() {}

    /** The data root, if one of the places above names an existing directory. */
    public static Optional<Path> root() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENV);
        }
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured).toAbsolutePath().normalize();
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate.normalize());
            }
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
                + "=DIR to the folder that holds '" + name + "/'"));
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
        return "shared/data in " + Path.of("").toAbsolutePath() + " and its parents";
    }
}
