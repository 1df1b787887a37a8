package dev.deneb.examples.download;

import dev.deneb.data.DataPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Puts the files of a data set in {@code root/<folder>/}, each verified before it takes its final name: fetched
 * into {@code <file>.part} (resumed on the next run if cut), checked against its SHA-256, then moved. A file that
 * is already there and verifies is left alone; a manual file is only verified, and its instructions printed when
 * it is missing.
 */
final class Downloader {
    /** What happened to one file. */
    enum Status { PRESENT, FETCHED, SKIPPED, MISSING, FAILED }

    record Outcome(DataSet set, DataFile file, Status status, String detail) {
        boolean ok() {
            return status == Status.PRESENT || status == Status.FETCHED || status == Status.SKIPPED;
        }
    }

    /** Bounds for extracting from archives: far above Cora (7.5 MB unpacked), far below a disk-filling bomb. */
    static final long MAX_ENTRY_BYTES = 256L << 20;
    static final long MAX_ARCHIVE_BYTES = 1L << 30;

    private final Path root;
    private final URI mirror;
    private final HttpFetcher fetcher;
    private final PrintWriter out;
    private final Map<URI, Path> archives = new HashMap<>();

    /** {@code mirror}: null for the official sources, else a server laid out like shared/data. */
    Downloader(Path root, URI mirror, HttpFetcher fetcher, PrintWriter out) {
        this.root = root;
        this.mirror = mirror;
        this.fetcher = fetcher;
        this.out = out;
    }

    List<Outcome> download(DataSet set) {
        Path folder = root.resolve(set.folder());
        out.printf("%s -> %s%n  %s%n", set.name(), folder, set.note());
        List<Outcome> outcomes = new ArrayList<>();
        Set<String> byHand = new LinkedHashSet<>();
        try {
            for (DataFile file : set.files()) {
                Outcome o = one(set, folder, file);
                out.printf("  %-8s %s%s%n", o.status(), file.path(), o.detail().isEmpty() ? "" : ": " + o.detail());
                out.flush();
                outcomes.add(o);
                if (!o.ok() && file.source() instanceof Source.Manual m) {
                    byHand.add(m.instructions());
                }
            }
        } finally {
            cleanArchives();
        }
        byHand.forEach(text -> out.printf("  by hand: %s%n", text));
        markRoot();
        return outcomes;
    }

    private Outcome one(DataSet set, Path folder, DataFile file) {
        Path target = folder.resolve(file.path());
        Optional<Source> source = sourceOf(set, file);
        if (source.isEmpty()) {
            return new Outcome(set, file, Status.SKIPPED, "a raw input that a mirror of shared/data does not hold; "
                    + "run without --mirror to fetch it from " + describe(file.source()));
        }
        if (Files.isRegularFile(target)) {
            Optional<String> mismatch = file.expected().mismatch(target);
            if (mismatch.isEmpty()) {
                return new Outcome(set, file, Status.PRESENT, "verified");
            }
            if (source.get() instanceof Source.Manual m) {
                return new Outcome(set, file, Status.FAILED, "present but " + mismatch.get() + " (see 'by hand')");
            }
            out.printf("  %s is present but has %s; fetching it again%n", file.path(), mismatch.get());
        }
        try {
            switch (source.get()) {
                case Source.Url u -> fetchVerified(u.uri(), target, file.expected(), label(set, file));
                case Source.TarGzEntry t -> extractVerified(t, target, file.expected(), label(set, file));
                case Source.Manual m -> {
                    return new Outcome(set, file, Status.MISSING, "no public source; put it there by hand (see "
                            + "'by hand'), expected " + file.expected().describe());
                }
            }
            return new Outcome(set, file, Status.FETCHED, "verified");
        } catch (DownloadException e) {
            return new Outcome(set, file, Status.FAILED, e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            return new Outcome(set, file, Status.FAILED, "cannot write " + target + ": " + e.getMessage());
        }
    }

    private Optional<Source> sourceOf(DataSet set, DataFile file) {
        if (mirror == null) {
            return Optional.of(file.source());
        }
        return file.mirrored() ? Optional.of(new Source.Url(mirror.resolve(set.folder() + "/" + file.path())))
                : Optional.empty();
    }

    /** Fetches into {@code target.part}, verifies, moves; a resumed file that fails is fetched once more whole. */
    private void fetchVerified(URI uri, Path target, Expected expected, String label) throws IOException {
        Path part = partOf(target);
        Files.createDirectories(target.getParent());
        boolean resumed = Files.isRegularFile(part) && Files.size(part) > 0;
        fetcher.fetch(uri, part, label);
        Optional<String> mismatch = expected.mismatch(part);
        if (mismatch.isPresent() && resumed) {
            // The old partial bytes may come from another version of the file: try once from the start.
            out.printf("  %s: %s after resuming an old partial file; fetching it whole%n", label, mismatch.get());
            Files.delete(part);
            fetcher.fetch(uri, part, label);
            mismatch = expected.mismatch(part);
        }
        if (mismatch.isPresent()) {
            Files.delete(part);
            throw new DownloadException("GET " + uri + ": downloaded file has " + mismatch.get()
                    + "; removed it (the source may have changed or the transfer been altered)");
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Fetches the archive once per run (kept in {@code .download/} until the data set is done), extracts one entry. */
    private void extractVerified(Source.TarGzEntry t, Path target, Expected expected, String label)
            throws IOException {
        Path archive = archives.get(t.archive());
        if (archive == null) {
            String name = Path.of(t.archive().getPath()).getFileName().toString();
            archive = target.getParent().resolve(".download").resolve(name);
            Files.createDirectories(archive.getParent());
            fetcher.fetch(t.archive(), partOf(archive), label + " (archive " + name + ")");
            Files.move(partOf(archive), archive, StandardCopyOption.REPLACE_EXISTING);
            archives.put(t.archive(), archive);
        }
        Path part = partOf(target);
        try {
            int found = TarGz.extract(archive, Map.of(t.entry(), part), MAX_ENTRY_BYTES, MAX_ARCHIVE_BYTES);
            if (found == 0) {
                throw new DownloadException(t.archive() + " holds no regular file '" + t.entry() + "'");
            }
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw new DownloadException(t.archive() + ": cannot extract " + t.entry() + ": " + e.getMessage(), e);
        }
        Optional<String> mismatch = expected.mismatch(part);
        if (mismatch.isPresent()) {
            Files.delete(part);
            throw new DownloadException(t.archive() + " entry " + t.entry() + " has " + mismatch.get() + "; removed it");
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void cleanArchives() {
        for (Path a : archives.values()) {
            try {
                Files.deleteIfExists(a);
                Files.deleteIfExists(a.getParent());  // only if now empty
            } catch (IOException e) {
                // a leftover archive costs disk space, nothing else; the next run overwrites it
            }
        }
        archives.clear();
    }

    /** Lets {@link DataPaths} find a {@code data/} root we filled (see its search order). */
    private void markRoot() {
        Path marker = root.resolve(DataPaths.MARKER);
        if (Files.isDirectory(root) && !root.endsWith(Path.of("shared", "data")) && !Files.exists(marker)) {
            try {
                Files.writeString(marker, "Deneb data root, made by the examples' download command.\n");
            } catch (IOException e) {
                out.printf("  note: cannot write %s (%s); point the examples at %s with -D%s%n", marker,
                        e.getMessage(), root, DataPaths.PROPERTY);
            }
        }
    }

    private static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    private static String label(DataSet set, DataFile file) {
        return set.folder() + "/" + file.path();
    }

    private static String describe(Source s) {
        return switch (s) {
            case Source.Url u -> u.uri().toString();
            case Source.TarGzEntry t -> t.archive() + " (" + t.entry() + ")";
            case Source.Manual m -> "by hand";
        };
    }
}
