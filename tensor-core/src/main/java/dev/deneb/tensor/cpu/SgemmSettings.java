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
 *       default the row block is sized to the L2 cache the operating system reports ({@link CpuCaches}) and the
 *       depth of each slice, and the column block to the depth.</li>
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
     * Depth of a packed block. Deep blocks win here even though a KC×NR sliver of B (128 KB at 1024, 256 KB at 2048)
     * then lives in L2 rather than L1: each further KC slice reloads and rewrites the whole of C, which at n=2048
     * (16 MB) comes from memory, and Java has no prefetch to hide that. Measured on one Zen 5 core, GEMM speed at
     * n=1024 against the L1-resident kernel's: 0.81 at KC=256, 0.85 at 512, 0.93 at 1024; at n=2048 (paired rounds,
     * GFLOP/s) 188–198 at KC=1024 (two slices) against 196–204 at 2048 (one).
     */
    static final int KC = intProperty("deneb.gemm.kc", 2048, 1);
    /** Rows of A packed at once, when set ({@code deneb.gemm.mc}); 0: sized to L2 per slice, see {@link #rowsFor}. */
    private static final int MC_SET = intProperty("deneb.gemm.mc", 0, 0);
    /** The L2 the row blocks are sized to. */
    private static final long L2_BYTES = CpuCaches.l2Bytes();
    /** The row block at a full 1024-deep slice (168 rows for a 1 MB L2); what {@code deneb.gemm.mc} replaces. */
    static final int MC = MC_SET > 0 ? roundUp(MC_SET, MR) : rowsForL2(L2_BYTES, 1024);
    /** Columns of B packed at once, when set ({@code deneb.gemm.nc}); 0: see {@link #columnsFor}. */
    private static final int NC_SET = intProperty("deneb.gemm.nc", 0, 0);
    /** The widest column block, and the most floats one packed B block holds (8 MB: a share of L3). */
    static final int NC = NC_SET > 0 ? roundUp(NC_SET, NR) : 2048;
    private static final int B_BLOCK_FLOATS = 1024 * 2048;
    /** Products up to this many multiply-adds with row-major B skip packing. */
    static final long DIRECT_MAX_MNK = longProperty("deneb.gemm.direct", 96L * 96 * 96);
    /** Products below this many multiply-adds (about 160³) run on one thread. With 512-bit FMAs a 64³ product
     *  takes 3 µs and a 128³ one 27 µs on one Zen 5 core, and split over two they ran slower than on one (130 vs 176
     *  and 145 vs 153 GFLOP/s): the halves are too short to pay for the hand-off and the second core's cold caches. */
    static final long PARALLEL_MIN_MNK = longProperty("deneb.gemm.parallel", 1L << 22);

    private SgemmSettings() {}

    /**
     * Rows of A packed at once for a slice {@code kc} deep: MC unless set, and for slices deeper than 1024 fewer
     * rows, so the A block keeps to two thirds of L2 beside the deeper B sliver (84 rows at 2048 for a 1 MB L2).
     */
    static int rowsFor(int kc) {
        return MC_SET > 0 ? MC : rowsForL2(L2_BYTES, Math.max(kc, 1024));
    }

    /**
     * Columns of B packed at once for a slice {@code kc} deep: NC unless set, and for slices deeper than 1024 fewer,
     * so a packed block stays within 8 MB. Measured at n=2048 on two Zen 5 cores sharing the block: 16 MB blocks
     * (2048 deep, 2048 wide) ran 301–360 GFLOP/s, 8 MB ones (1024 wide) 368–386, OpenBLAS 389–397.
     */
    static int columnsFor(int kc) {
        return NC_SET > 0 ? NC : Math.min(NC, Math.max(NR, B_BLOCK_FLOATS / kc / NR * NR));
    }

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
