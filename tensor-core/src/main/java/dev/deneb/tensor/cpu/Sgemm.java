package dev.deneb.tensor.cpu;

import static dev.deneb.tensor.cpu.SgemmSettings.MR;
import static dev.deneb.tensor.cpu.SgemmSettings.NR;

import java.util.Arrays;

/**
 * Single-precision general matrix multiply on Java arrays: {@code C = A·B} or {@code C += A·B}.
 *
 * <p>Operands are addressed by strides so transposed and sliced views need no copy: element {@code (i, p)} of A is
 * {@code a[aOff + i*aRowStride + p*aColStride]}, element {@code (p, j)} of B is
 * {@code b[bOff + p*bRowStride + j*bColStride]}, and element {@code (i, j)} of C is {@code c[cOff + i*ldc + j]}.
 * Strides may be zero (broadcast) or negative. C must not overlap A or B.
 *
 * <p>Large products are packed and cache-blocked ({@link SgemmBlocked}); small ones skip packing
 * ({@link SgemmDirect}); a few rows against a B with contiguous columns are dot products ({@link SgemmDot}); a C
 * at most one vector wide reads A in place ({@link SgemmNarrow}). Work is split over {@link Parallel#threads()} along the longer side of C; when rows are
 * split, the threads share each packed block of B.
 */
public final class Sgemm {
    private static final boolean VECTOR = SgemmSettings.BITS != 0;

    private Sgemm() {}

    public static void gemm(int m, int n, int k,
                            float[] a, int aOff, int aRowStride, int aColStride,
                            float[] b, int bOff, int bRowStride, int bColStride,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        checkArguments(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        if (VECTOR && SgemmDot.suits(m, k, aColStride, bRowStride)) {
            SgemmDot.gemm(m, n, k, a, aOff, aRowStride, b, bOff, bColStride, c, cOff, ldc, accumulate);
            return;
        }
        long mnk = (long) m * n * k;
        int threads = Parallel.threads();
        if (threads <= 1 || mnk < SgemmSettings.PARALLEL_MIN_MNK) {
            serial(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc,
                    accumulate);
        } else if (m >= n) {
            parallelRows(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc,
                    accumulate, threads);
        } else {
            // Wide C: split columns in whole NR panels; each thread packs its own part of B and all of A.
            int panels = (n + NR - 1) / NR;
            Parallel.forChunks(panels, Math.min(threads, panels), (p0, p1) -> {
                int j0 = p0 * NR;
                int j1 = Math.min(p1 * NR, n);
                serial(m, j1 - j0, k, a, aOff, aRowStride, aColStride,
                        b, bOff + j0 * bColStride, bRowStride, bColStride, c, cOff + j0, ldc, accumulate);
            });
        }
    }

    /**
     * {@code C (+)= A·B} for a B read from {@code storage} (at {@code bOff}, strides {@code bRs, bCs}), as
     * {@link #gemm} computes it, bit for bit; when the product takes the packed path and B fits one block, B's packed
     * panels are kept with the storage and reused while its version is unchanged ({@link SgemmPackCache}).
     */
    public static void gemm(int m, int n, int k,
                            float[] a, int aOff, int aRowStride, int aColStride,
                            CpuStorage storage, int bOff, int bRowStride, int bColStride,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        float[] b = storage.floats();
        float[] packed = null;
        if (packsWholeB(m, n, k, aColStride, bRowStride)) {
            checkArguments(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc);
            packed = SgemmPackCache.packed(storage, bOff, bRowStride, bColStride, k, n);
        }
        if (packed == null) {
            gemm(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc, accumulate);
            return;
        }
        int threads = (long) m * n * k < SgemmSettings.PARALLEL_MIN_MNK ? 1 : Parallel.threads();
        SgemmBlocked.gemmPackedB(m, n, k, a, aOff, aRowStride, aColStride, packed, c, cOff, ldc, accumulate,
                threads);
    }

    /**
     * Whether {@link #gemm} packs all of B as one block for this product: not the dot-product path, too large for
     * the unpacked ones (the packed path gives the same bits, but packing would not pay), one depth slice and one
     * column block.
     */
    private static boolean packsWholeB(int m, int n, int k, int aCs, int bRs) {
        return VECTOR && m > 0 && n > NR / 2 && k > 0 && k <= SgemmSettings.KC
                && n <= SgemmSettings.columnsFor(k) && (long) m * n * k > SgemmSettings.DIRECT_MAX_MNK
                && !SgemmDot.suits(m, k, aCs, bRs);
    }

    /** Tall C: threads take whole MR panels of rows; the packed path shares each packed block of B. */
    private static void parallelRows(int m, int n, int k,
                                     float[] a, int aOff, int aRs, int aCs,
                                     float[] b, int bOff, int bRs, int bCs,
                                     float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        boolean direct = VECTOR && SgemmDirect.suits(m, n, k);
        if (direct || VECTOR && SgemmNarrow.suits(m, n, k)) {
            // The unpacked kernels share nothing between rows: each thread takes whole MR panels of them.
            int panels = (m + MR - 1) / MR;
            Parallel.forChunks(panels, Math.min(threads, panels), (p0, p1) -> {
                int i0 = p0 * MR;
                int rows = Math.min(p1 * MR, m) - i0;
                if (direct) {
                    SgemmDirect.gemm(rows, n, k, a, aOff + i0 * aRs, aRs, aCs, b, bOff, bRs, bCs,
                            c, cOff + i0 * ldc, ldc, accumulate);
                } else {
                    SgemmNarrow.gemm(rows, n, k, a, aOff + i0 * aRs, aRs, aCs, b, bOff, bRs, bCs,
                            c, cOff + i0 * ldc, ldc, accumulate);
                }
            });
        } else {
            SgemmBlocked.gemmRows(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, threads);
        }
    }

    private static void serial(int m, int n, int k,
                               float[] a, int aOff, int aRs, int aCs,
                               float[] b, int bOff, int bRs, int bCs,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        if (VECTOR && SgemmDirect.suits(m, n, k)) {
            SgemmDirect.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
        } else if (VECTOR && SgemmNarrow.suits(m, n, k)) {
            SgemmNarrow.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
        } else {
            SgemmBlocked.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
        }
    }

    /** Checks sizes and the extreme indices each operand reaches, so the kernels never index out of bounds. */
    private static void checkArguments(int m, int n, int k,
                                       float[] a, int aOff, int aRs, int aCs,
                                       float[] b, int bOff, int bRs, int bCs,
                                       float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(
                    "Sgemm.gemm: sizes must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        if (a == null || b == null || c == null) {
            throw new IllegalArgumentException("Sgemm.gemm: arrays must not be null (a=" + (a == null ? "null" : "ok")
                    + ", b=" + (b == null ? "null" : "ok") + ", c=" + (c == null ? "null" : "ok") + ")");
        }
        if (m > 1 && n > 0 && ldc < n) {
            throw new IllegalArgumentException(
                    "Sgemm.gemm: ldc must be >= n so rows of C do not overlap, got ldc=" + ldc + ", n=" + n);
        }
        checkExtent("A", a, m, k, aOff, aRs, aCs, m, n, k);
        checkExtent("B", b, k, n, bOff, bRs, bCs, m, n, k);
        checkExtent("C", c, m, n, cOff, ldc, 1, m, n, k);
    }

    private static void checkExtent(String name, float[] x, int rows, int cols, int off, int rs, int cs,
                                    int m, int n, int k) {
        if (rows == 0 || cols == 0) {
            return;
        }
        long rowSpan = (long) (rows - 1) * rs;
        long colSpan = (long) (cols - 1) * cs;
        long lo = off + Math.min(0, rowSpan) + Math.min(0, colSpan);
        long hi = off + Math.max(0, rowSpan) + Math.max(0, colSpan);
        if (lo < 0 || hi >= x.length) {
            throw new IllegalArgumentException("Sgemm.gemm: " + name + " is " + rows + "x" + cols
                    + " (m=" + m + ", n=" + n + ", k=" + k + ") with offset " + off + " and strides (" + rs + ", "
                    + cs + "), so it reaches indices " + lo + ".." + hi + ", but the array has length " + x.length
                    + " (expected indices within 0.." + (x.length - 1) + ")");
        }
    }
}
