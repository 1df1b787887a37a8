package dev.deneb.fuzz;

import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every loader on its mutated files and checks the contract of a loader: each case returns normally or throws
 * an {@link IllegalArgumentException} (bad content) or an {@link UncheckedIOException} (I/O), with a message that
 * names the file; and no case allocates more than {@link #ALLOWED_MULTIPLE} times the file's size plus
 * {@link #ALLOWED_OVERHEAD} bytes (fixed costs: exceptions, parser buffers). Meant for a JVM with a small heap and
 * little direct memory ({@link LoaderFuzzTest} starts one), so that an allocation sized by a header rather than by
 * the file fails loudly. Prints one line per loader; exits 1 if any case broke the contract.
 *
 * <p>Every case runs twice: the first pass warms up (class loading and one-time initialisation would otherwise be
 * charged to the first case that needs them), the second measures allocation with
 * {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}.
 */
public final class LoaderFuzz {
    static final long ALLOWED_MULTIPLE = 16;
    static final long ALLOWED_OVERHEAD = 128 << 10;
    private static final int MAX_REPORTED = 20;

    private LoaderFuzz() {}

    /** Statistics of one loader. */
    private static final class Stats {
        int cases;
        int loaded;
        int rejected;
        long maxBytes;
        long maxBytesFile;
        double maxMultiple; // over files of at least 64 bytes, where fixed costs do not dominate
        long slowestNanos;
    }

    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 20260101L;
        Path work = Files.createTempDirectory("deneb-fuzz");
        List<String> violations = new ArrayList<>();
        long t0 = System.nanoTime();
        int total = 0;
        System.out.printf(Locale.ROOT, "loader fuzz, seed %d, max heap %d MiB%n", seed,
                Runtime.getRuntime().maxMemory() >> 20);
        for (FuzzTarget target : Seeds.targets(work, seed)) {
            Stats s = new Stats();
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < target.cases().size(); i++) {
                    run(target, i, work, pass == 1, s, violations);
                }
            }
            total += s.cases;
            System.out.printf(Locale.ROOT, "%-12s %5d cases (%d loaded, %d rejected); largest allocation %,d bytes"
                    + " (%.1f x its %,d-byte file or content); worst multiple over files >= 64 bytes %.1f x; slowest %.1f ms%n",
                    target.name(), s.cases, s.loaded, s.rejected, s.maxBytes,
                    (double) s.maxBytes / Math.max(1, s.maxBytesFile), s.maxBytesFile, s.maxMultiple,
                    s.slowestNanos / 1e6);
        }
        System.out.printf(Locale.ROOT, "%d cases in %.1f s, %d violations%n", total, (System.nanoTime() - t0) / 1e9,
                violations.size());
        violations.stream().limit(MAX_REPORTED).forEach(v -> System.out.println("VIOLATION " + v));
        System.out.flush();
        System.exit(violations.isEmpty() ? 0 : 1);
    }

    private static void run(FuzzTarget target, int i, Path work, boolean measure, Stats s, List<String> violations)
            throws Exception {
        Mutations.Case c = target.cases().get(i);
        String kind = c.name().contains("images") ? "-images" : "-labels";
        Path file = work.resolve(target.name() + "-case" + i + kind + target.suffix());
        Files.write(file, c.bytes());
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Throwable failure = null;
        long before = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        try {
            target.loader().load(file);
        } catch (Throwable t) {
            failure = t;
        }
        long nanos = System.nanoTime() - start;
        long bytes = threads.getCurrentThreadAllocatedBytes() - before;
        Files.delete(file);
        long size = target.basis().of(c.bytes());
        String where = target.name() + " case " + i + " [" + c.name() + "] (" + size + " bytes): ";
        if (!measure) {
            if (failure != null && !documented(failure, file)) {
                violations.add(where + "threw " + failure + (failure.getStackTrace().length > 0
                        ? " at " + failure.getStackTrace()[0] : ""));
            }
            return;
        }
        s.cases++;
        if (failure == null) {
            s.loaded++;
        } else {
            s.rejected++;
        }
        s.slowestNanos = Math.max(s.slowestNanos, nanos);
        if (bytes > s.maxBytes) {
            s.maxBytes = bytes;
            s.maxBytesFile = size;
        }
        if (size >= 64) {
            s.maxMultiple = Math.max(s.maxMultiple, (double) bytes / size);
        }
        if (bytes > ALLOWED_MULTIPLE * size + ALLOWED_OVERHEAD) {
            violations.add(where + "allocated " + bytes + " bytes, more than " + ALLOWED_MULTIPLE + " x the file + "
                    + ALLOWED_OVERHEAD);
        }
    }

    /** The documented failures: bad content or I/O, naming the file. */
    private static boolean documented(Throwable t, Path file) {
        return (t instanceof IllegalArgumentException || t instanceof UncheckedIOException)
                && t.getMessage() != null && t.getMessage().contains(file.toString());
    }
}
