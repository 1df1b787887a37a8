package dev.deneb.examples.spark;

import picocli.CommandLine.Option;

/** The options every {@code spark} example shares (a picocli mixin). */
public final class ClusterOptions {
    @Option(names = "--master", description = "Spark master URL; none: spark-submit's, else local[2]")
    String master;

    @Option(names = "--workers", description = "training tasks, one per partition (default: ${DEFAULT-VALUE})")
    int workers = 2;

    @Option(names = "--mode", description = "ddp (gradients averaged every step over TCP, one barrier stage) or "
            + "averaging (parameters averaged with treeAggregate, no connections between executors) "
            + "(default: ${DEFAULT-VALUE})")
    String mode = "ddp";

    @Option(names = "--sync-every", description = "averaging mode: local steps between averagings (default: ${DEFAULT-VALUE})")
    int syncEvery = 10;

    @Option(names = "--checkpoint-dir", description = "ddp mode: per-epoch checkpoint reachable by every task; a retried stage resumes from it")
    String checkpointDir;

    @Option(names = "--threads", description = "CPU threads per JVM for Deneb's kernels (default: all cores)")
    Integer threads;
}
