package dev.deneb.benchmarks;

import java.util.List;

/**
 * One workload of the side-by-side comparison (see {@code benchmarks/peers/README.md}): it times its own cases at
 * a given thread count and returns one {@link Result} per case, named exactly as the peers name them.
 */
public interface Workload {
    /** The name used on the command line and in the {@code workload} field, e.g. {@code sgemm}. */
    String name();

    /** Runs every case with {@code threads} threads (progress to stderr) and returns the measured results. */
    List<Result> run(int threads);
}
