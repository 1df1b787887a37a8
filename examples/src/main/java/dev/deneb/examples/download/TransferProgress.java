package dev.deneb.examples.download;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of one transfer. In a terminal: one line redrawn in place at most every 100 ms; in a log: a line at
 * each quarter (or every 16 MiB when the size is unknown), so a long download is never silent.
 */
final class TransferProgress {
    private static final long UNKNOWN_STEP = 16L << 20;
    private final PrintWriter out;
    private final String label;
    private final long total;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long nextLogged;

    TransferProgress(PrintWriter out, String label, long done, long total, boolean terminal) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.terminal = terminal;
        this.nextLogged = nextMark(done);
    }

    void update(long done) {
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDraw >= 100_000_000L) {
                lastDraw = now;
                out.print("\r" + line(done, now) + "   ");
                out.flush();
            }
        } else if (done >= nextLogged && (total <= 0 || total >= 1 << 20)) {  // small files: just the result
            nextLogged = nextMark(done);
            out.println(line(done, now));
            out.flush();
        }
    }

    void finish(long done) {
        if (terminal) {
            out.print("\r" + line(done, System.nanoTime()) + "   \n");
            out.flush();
        }
    }

    private long nextMark(long done) {
        if (total <= 0) {
            return (done / UNKNOWN_STEP + 1) * UNKNOWN_STEP;
        }
        long quarter = Math.max(1, total / 4);
        return Math.min(total, (done / quarter + 1) * quarter);
    }

    private String line(long done, long now) {
        double secs = Math.max(1e-3, (now - start) / 1e9);
        String size = total > 0 ? String.format(Locale.ROOT, "%s / %s  %3d%%", mb(done), mb(total), done * 100 / total)
                : mb(done);
        return String.format(Locale.ROOT, "  %s  %s  %.1f s", label, size, secs);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
