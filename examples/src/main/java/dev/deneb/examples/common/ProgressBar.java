package dev.deneb.examples.common;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on stderr, redrawn in place: {@code [=====>    ] 212/469  loss 0.2345  3.1 s}. */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final int total;
    private final long start = System.nanoTime();
    private final boolean enabled;
    private long lastDraw;

    /** On stderr, drawn only when the program runs in a terminal (a log file gets no carriage-return frames). */
    public ProgressBar(String label, int total) {
        this(System.err, label, total, System.console() != null && System.console().isTerminal());
    }

    public ProgressBar(PrintStream out, String label, int total, boolean enabled) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.enabled = enabled;
    }

    /** Redraws (at most every 100 ms, and always at the end) with {@code done} steps and a status text. */
    public void update(int done, String status) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        out.printf(Locale.ROOT, "\r%s [%s] %d/%d  %s  %.1f s ", label, bar, done, total, status,
                (now - start) / 1e9);
        out.flush();
    }

    /** Ends the line. */
    public void finish() {
        if (!enabled) {
            return;
        }
        out.print("\r" + " ".repeat(WIDTH + label.length() + 60) + "\r");
        out.flush();
    }
}
