package dev.deneb.tensor.cpu;

/**
 * Tuning constants of {@link Sgemm}, fixed when the class loads so the JIT can fold them.
 *
 * <p>System properties (all optional):
 * <ul>
 *   <li>{@code deneb.vector=false} — use the scalar kernels only (also chosen when the Vector API module is
 *       missing, see {@link VectorSupport}).</li>
 *   <li>{@code deneb.gemm.width=auto|scalar|128|256|512} — vector width in bits. {@code auto} takes the widest the
 *       JVM compiles to vector instructions on this CPU ({@code FloatVector.SPECIES_PREFERRED}, read from CPUID):
 *       512 where AVX-512 is on, 256 on AVX2. Measured on one core: Zen 5 (full-width 512-bit FMA) 188 GFLOP/s at
 *       n=1024 with 512 bits against 99 with 256; Zen 4 (512-bit operations split in two) the widths tie. Forcing a
 *       width the JVM does not compile (512 on an AVX2 machine) runs the Vector API's Java fallback: 0.8 GFLOP/s.</li>
 *   <li>{@code deneb.gemm.mc}, {@code .kc}, {@code .nc} — cache block sizes (rows of A, depth, columns of B); by
 *       default MC is sized to the L2 cache the operating system reports ({@link CpuCaches}).</li>
 * </ul>
 */
final class SgemmSettings {
    /** Rows of the register tile (see {@link SgemmMicroKernel} for why 6). */
    static final int MR = 6;
    /** Vector width in bits, or 0 for the scalar kernels. */
    static final int BITS = chooseBits();
    /** Columns of the register tile: two vectors (16 floats at 256 bits); 16 for the scalar kernel too. */
    static final int NR = BITS == 0 ? 16 : 2 * (BITS / 32);
    /**
     * Depth of a packed block. Deep blocks win here even though a KC×NR sliver of B (64 KB at 1024) then lives in L2
     * rather than L1: every KC step reloads and rewrites the whole of C, which at n=1024 (4 MB) comes from L3, and
     * Java has no prefetch to hide that; B and A stream from L2 fine. Measured at n=1024 on one core, GEMM speed
     * against the L1-resident kernel's: 0.81 at KC=256, 0.85 at 512, 0.93 at 1024.
     */
    static final int KC = intProperty("deneb.gemm.kc", 1024, 1);
    /** Rows of A packed at once: MC×KC floats fill about two thirds of L2 (168 rows, 690 KB, for a 1 MB L2), leaving
     *  room for the B sliver and C rows streaming past. */
    static final int MC = roundUp(intProperty("deneb.gemm.mc", rowsForL2(CpuCaches.l2Bytes(), KC), 1), MR);
    /** Columns of B packed at once: a KC×NC block (up to 8 MB) sits in the shared L3 cache. */
    static final int NC = roundUp(intProperty("deneb.gemm.nc", 2048, 1), NR);
    /** Products up to this many multiply-adds with row-major B skip packing. */
    static final long DIRECT_MAX_MNK = longProperty("deneb.gemm.direct", 96L * 96 * 96);
    /** Products below this many multiply-adds (about 160³) run on one thread. With 512-bit FMAs a 64³ product
     *  takes 3 µs and a 128³ one 27 µs on one Zen 5 core, and split over two they ran slower than on one (130 vs 176
     *  and 145 vs 153 GFLOP/s): the halves are too short to pay for the hand-off and the second core's cold caches. */
    static final long PARALLEL_MIN_MNK = longProperty("deneb.gemm.parallel", 1L << 22);

    private SgemmSettings() {}

    /** The MC for an L2 of {@code l2Bytes}: two thirds of it in packed A rows of depth {@code kc}, whole MR panels,
     *  at least one panel and at most 64 panels. */
    static int rowsForL2(long l2Bytes, int kc) {
        long rows = l2Bytes * 2 / 3 / (4L * kc) / MR * MR;
        return (int) Math.max(MR, Math.min(64L * MR, rows));
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /** The step that cuts {@code size} into as few pieces of at most {@code block} as possible, all near-equal
     *  (k=1100 with KC=1024 gives two steps of 550, not 1024 and a thin 76). */
    static int balancedStep(int size, int block) {
        int pieces = (size + block - 1) / block;
        return (size + pieces - 1) / pieces;
    }

    private static int chooseBits() {
        if (!VectorSupport.ENABLED) {
            return 0;
        }
        int preferred = VectorProbe.preferredBits();
        String w = System.getProperty("deneb.gemm.width", "auto").trim();
        if (w.equals("auto")) {
            return preferred >= 128 ? Math.min(preferred, 512) : 0;
        }
        return switch (w) {
            case "128", "256", "512" -> Integer.parseInt(w);
            case "0", "scalar" -> 0;
            default -> throw new IllegalArgumentException(
                    "deneb.gemm.width must be auto, scalar, 128, 256 or 512, got '" + w + "'");
        };
    }

    private static int intProperty(String name, int fallback, int min) {
        long v = longProperty(name, fallback);
        if (v < min || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be an integer >= " + min + ", got " + v);
        }
        return (int) v;
    }

    private static long longProperty(String name, long fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'");
        }
    }
}
