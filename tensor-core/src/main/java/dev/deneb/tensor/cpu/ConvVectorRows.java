package dev.deneb.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector forms of {@link ConvFast}'s stride-1 im2col row copy and col2im row add. Loaded only when
 * {@link VectorSupport#ENABLED}; both are exact, so the scalar twins in {@link ConvFast} give the same bits.
 */
final class ConvVectorRows {
    /** Vector shape for the row copies (a static final species, so HotSpot intrinsifies it). */
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    /** Floats per vector: a constant, so callers can test a length against it without loading this class. */
    static final int LANES = 8;

    private ConvVectorRows() {}

    /** {@code col[dst..dst+len) = image[src..src+len)} for {@code len >= LANES}: whole vectors, the last one
     *  overlapping the one before. */
    static void copy(float[] image, int src, float[] col, int dst, int len) {
        int last = len - LANES;
        for (int i = 0; i < last; i += LANES) {
            FloatVector.fromArray(F, image, src + i).intoArray(col, dst + i);
        }
        FloatVector.fromArray(F, image, src + last).intoArray(col, dst + last);
    }

    /** {@code image[src + i] += col[dst + i]} for the whole vectors of {@code len}; returns how many it did. */
    static int addRun(float[] image, int src, float[] col, int dst, int len) {
        int i = 0;
        for (; i <= len - LANES; i += LANES) {
            FloatVector.fromArray(F, image, src + i).add(FloatVector.fromArray(F, col, dst + i))
                    .intoArray(image, src + i);
        }
        return i;
    }
}
