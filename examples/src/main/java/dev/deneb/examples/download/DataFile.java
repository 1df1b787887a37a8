package dev.deneb.examples.download;

/**
 * One file of a data set: its path under the data set's folder (as the examples read it), the hash it must have,
 * where it comes from, and whether a mirror of shared/data holds it (the raw inputs of derived files may not be
 * there: shared/data keeps only what the examples read, plus EROS-1's originals).
 */
public record DataFile(String path, Expected expected, Source source, boolean mirrored) {

    public DataFile {
        if (path.isBlank() || path.startsWith("/") || path.contains("..") || path.contains("\\")) {
            throw new IllegalArgumentException("data file path must be relative and stay inside its folder: " + path);
        }
    }

    public static DataFile of(String path, Expected expected, Source source) {
        return new DataFile(path, expected, source, true);
    }
}
