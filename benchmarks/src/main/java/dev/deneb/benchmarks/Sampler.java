package dev.deneb.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Timing helpers matching the peers' {@code benchutil.py}, so both sides measure alike on a shared machine: wait
 * until other processes are quiet, then take samples until enough "clean" ones (other processes used under
 * {@link #FOREIGN_MAX} CPUs meanwhile) exist, and report their median. Foreign load is busy time in
 * {@code /proc/stat} minus this process's own CPU time; where {@code /proc/stat} is missing it counts as zero.
 */
public final class Sampler {
    /** CPUs used by other processes during a sample that still counts as clean (as in benchutil.py). */
    public static final double FOREIGN_MAX = 0.25;
    private static final Path PROC_STAT = Path.of("/proc/stat");
    private static final double HZ = 100.0; // USER_HZ: /proc/stat counts in 1/100 s on Linux

    private Sampler() {}

    /** Waits (at most {@code maxWaitSeconds}) until other processes use under 0.15 CPUs over two seconds. */
    public static void waitIdle(double maxWaitSeconds) {
        long start = System.nanoTime();
        while (true) {
            Probe p = Probe.start();
            sleep(2000);
            double load = p.foreignCpus();
            if (load < 0.15) {
                return;
            }
            if ((System.nanoTime() - start) / 1e9 > maxWaitSeconds) {
                log(String.format("  [wait_idle] machine still busy (%.2f CPUs foreign) after %.0fs; going on",
                        load, maxWaitSeconds));
                return;
            }
            log(String.format("  [wait_idle] foreign load %.2f CPUs, waiting", load));
        }
    }

    /**
     * Warms up until the JIT has settled: at least {@code minSeconds}, then until two blocks in a row agree within
     * 5 %, at most {@code maxSeconds}. The JIT compiles Vector API kernels over the first seconds, and until it has
     * a step can take ten to a hundred times longer (an LSTM step: 3 s interpreted, 30 ms compiled), so a fixed
     * warm-up measured the transient on some runs. {@code block} runs a block and returns its time.
     */
    public static void warmUntilSteady(DoubleSupplier block, double minSeconds, double maxSeconds) {
        long start = System.nanoTime();
        double previous = Double.NaN;
        while (true) {
            double t = block.getAsDouble();
            double elapsed = (System.nanoTime() - start) / 1e9;
            boolean steady = Math.abs(t - previous) <= 0.05 * Math.min(t, previous);
            if (elapsed >= maxSeconds || (elapsed >= minSeconds && steady)) {
                if (!steady) {
                    log(String.format("  [warm] not steady after %.0f s (last blocks %.3g, %.3g); going on", elapsed,
                            previous, t));
                }
                return;
            }
            previous = t;
        }
    }

    /**
     * Calls {@code sample} until {@code cleanWanted} clean samples or {@code maxSamples} in all, and returns the
     * median of the clean ones (of all, with a note on stderr, if fewer than three are clean).
     */
    public static double median(DoubleSupplier sample, int cleanWanted, int maxSamples) {
        List<Double> all = new ArrayList<>();
        List<Double> clean = new ArrayList<>();
        while (all.size() < maxSamples && clean.size() < cleanWanted) {
            Probe p = Probe.start();
            double v = sample.getAsDouble();
            all.add(v);
            if (p.foreignCpus() < FOREIGN_MAX) {
                clean.add(v);
            }
        }
        if (clean.size() >= Math.min(3, cleanWanted)) {
            return median(clean);
        }
        log("  [measure] only " + clean.size() + " clean samples of " + all.size() + "; median over all");
        return median(all);
    }

    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    public static void log(String line) {
        System.err.println(line);
        System.err.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an idle machine", e);
        }
    }

    /** Busy CPU time of the whole machine and of this process at one instant. */
    private record Probe(double machineBusy, double ownCpu, long wallNanos) {
        static Probe start() {
            return new Probe(machineBusySeconds(), ownCpuSeconds(), System.nanoTime());
        }

        double foreignCpus() {
            double wall = Math.max(1e-9, (System.nanoTime() - wallNanos) / 1e9);
            double foreign = (machineBusySeconds() - machineBusy) - (ownCpuSeconds() - ownCpu);
            return Math.max(0, foreign / wall);
        }

        private static double machineBusySeconds() {
            try {
                String cpu = Files.readAllLines(PROC_STAT).getFirst();
                String[] f = cpu.trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                    if (i != 4 && i != 5) { // skip idle and iowait
                        busy += Long.parseLong(f[i]);
                    }
                }
                return busy / HZ;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        private static double ownCpuSeconds() {
            return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
        }
    }
}
