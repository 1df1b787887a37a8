package dev.deneb.tensor.cpu;

import static dev.deneb.tensor.cpu.SgemmSettings.MR;
import static dev.deneb.tensor.cpu.SgemmSettings.NR;

/**
 * Per-thread packing buffers, grown on demand and then reused, so a GEMM call allocates nothing once a thread has
 * seen its largest block.
 */
final class SgemmWorkspace {
    private static final ThreadLocal<SgemmWorkspace> LOCAL = ThreadLocal.withInitial(SgemmWorkspace::new);

    private float[] packedA = new float[0];
    private float[] packedB = new float[0];
    private float[] rowMajorB = new float[0];
    /** Landing place for tiles that stick out of C (ragged edges). */
    final float[] edgeTile = new float[MR * NR];
    /** Where a tile that adds to C is held before the add (see {@link SgemmMicroKernel#addTile}). */
    final float[] sumTile = new float[MR * NR];
    /** The second half of a wide tile's sum (see {@link SgemmMicroKernel#tileWide}). */
    final float[] sumTile2 = new float[MR * NR];

    private SgemmWorkspace() {}

    static SgemmWorkspace get() {
        return LOCAL.get();
    }

    float[] packedA(int size) {
        if (packedA.length < size) {
            packedA = new float[size];
        }
        return packedA;
    }

    /** B copied row-major for {@link SgemmDirect}, when its rows are not contiguous. */
    float[] rowMajorB(int size) {
        if (rowMajorB.length < size) {
            rowMajorB = new float[size];
        }
        return rowMajorB;
    }

    float[] packedB(int size) {
        if (packedB.length < size) {
            packedB = new float[size];
        }
        return packedB;
    }
}
