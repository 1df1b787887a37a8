package dev.deneb.tensor.cpu;

import jdk.incubator.vector.FloatVector;

/** Asks the Vector API for the preferred width; kept apart so no vector class loads when the module is absent. */
final class VectorProbe {
    private VectorProbe() {}

    static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
