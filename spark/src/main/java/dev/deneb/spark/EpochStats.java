package dev.deneb.spark;

import java.io.Serializable;

/**
 * One epoch of distributed training, averaged over the workers.
 *
 * @param epoch          1-based
 * @param loss           mean training loss over the epoch's steps
 * @param accuracy       fraction of training rows classified right during the epoch (before each step's update)
 * @param seconds        wall time of the epoch
 * @param steps          optimizer steps taken
 * @param allReduceMillis mean time per step spent averaging gradients (the collective alone)
 */
public record EpochStats(int epoch, double loss, double accuracy, double seconds, int steps, double allReduceMillis)
        implements Serializable {}
