package dev.deneb.spark;

import dev.deneb.nn.Layer;
import java.io.Serializable;

/**
 * Builds a fresh, untrained network; called on the executors, so it travels inside Spark tasks and must be
 * serializable: a class, or a lambda whose target type is this interface ({@code () -> new MyNet(9, 2)}). Initial
 * weights come from the seed set before the call and are then replaced by rank 0's, so only the architecture
 * matters. Layers that draw random numbers while training (dropout) use the global generator, which tasks sharing
 * one executor JVM share too: for bit-reproducible runs give such layers their own seeded {@code Generator}, as
 * {@code ml.MlpFactory} does.
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {
    Layer create();
}
