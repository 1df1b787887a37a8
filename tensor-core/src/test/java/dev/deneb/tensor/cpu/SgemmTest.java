package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Property tests of {@link Sgemm#gemm} against a double-precision triple loop, over seeded random shapes. */
@ExtendWith(RestoresThreadCount.class)
class SgemmTest {
    /** Sizes that hit the edges: 0, 1, primes, multiples and neighbours of MR/NR/MC/KC, past the thresholds. */
    private static final int[] SIZES = {0, 1, 2, 3, 5, 6, 7, 8, 12, 13, 15, 16, 17, 18, 23, 24, 25, 31, 47, 48, 64,
            97, 100, 127, 167, 168, 169, 191, 255, 256, 257, 300};

    /**
     * One generated case. {@code aLayout}/{@code bLayout}: 'r' row-major, 't' transposed (column-major),
     * 'b' broadcast along k (stride 0 over the depth).
     */
    record Case(int m, int n, int k, char aLayout, char bLayout, int aOff, int bOff, int cOff, int ldcPad,
                boolean accumulate, int threads, long seed) {
        @Override
        public String toString() {
            return "m=" + m + " n=" + n + " k=" + k + " A=" + aLayout + " B=" + bLayout + " off=" + aOff + "/" + bOff
                    + "/" + cOff + " ldc+" + ldcPad + (accumulate ? " acc" : "") + " threads=" + threads;
        }
    }

    static Stream<Case> cases() {
        SplittableRandom r = new SplittableRandom(20_240_607L);
        List<Case> out = new ArrayList<>();
        // Fixed cases: block and threading boundaries with both thread counts.
        out.add(new Case(300, 300, 300, 'r', 'r', 0, 0, 0, 0, false, 2, 1));
        out.add(new Case(257, 169, 300, 't', 't', 3, 1, 2, 5, true, 2, 2));
        out.add(new Case(23, 300, 257, 'r', 't', 0, 0, 0, 0, false, 2, 3));
        out.add(new Case(64, 64, 64, 'r', 'r', 0, 0, 0, 0, true, 1, 4));
        out.add(new Case(5, 7, 0, 'r', 'r', 0, 0, 1, 0, false, 1, 5));
        out.add(new Case(5, 7, 0, 'r', 'r', 0, 0, 1, 0, true, 2, 6));
        // Depth past KC (several depth blocks, C accumulated between them), a B block big enough to be packed by
        // both threads, and transposed and broadcast operands on the same paths.
        int kc = SgemmSettings.KC;
        out.add(new Case(50, 200, kc + 76, 'r', 'r', 1, 2, 3, 1, false, 2, 7));
        out.add(new Case(181, 37, kc + 6, 't', 't', 0, 3, 0, 2, true, 2, 8));
        out.add(new Case(13, 45, kc + 1, 'b', 'r', 2, 0, 1, 0, true, 1, 9));
        // Past 1024 deep: fewer rows per block of A, and at n > 1024 more than one column block of B.
        out.add(new Case(100, 1100, 2000, 'r', 'r', 0, 1, 2, 0, true, 2, 10));
        char[] layouts = {'r', 'r', 't', 't', 'b'};
        while (out.size() < 44) {
            int m = SIZES[r.nextInt(SIZES.length)];
            int n = SIZES[r.nextInt(SIZES.length)];
            int k = SIZES[r.nextInt(SIZES.length)];
            out.add(new Case(m, n, k, layouts[r.nextInt(layouts.length)], layouts[r.nextInt(layouts.length)],
                    r.nextInt(4), r.nextInt(4), r.nextInt(4), r.nextInt(3), r.nextBoolean(), 1 + r.nextInt(2),
                    r.nextLong()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesDoubleReference(Case t) {
        Parallel.setThreads(t.threads());
        Operands o = Operands.of(t);
        float[] c = o.c0.clone();
        Sgemm.gemm(t.m(), t.n(), t.k(), o.a, t.aOff(), o.aRs, o.aCs, o.b, t.bOff(), o.bRs, o.bCs,
                c, t.cOff(), o.ldc, t.accumulate());
        o.check(c);
    }

    @Test
    void threadCountChangesOnlyRounding() {
        Case t = new Case(290, 211, 280, 'r', 't', 1, 2, 3, 1, true, 1, 99);
        Operands o = Operands.of(t);
        float[] one = o.c0.clone();
        Parallel.setThreads(1);
        Sgemm.gemm(t.m(), t.n(), t.k(), o.a, t.aOff(), o.aRs, o.aCs, o.b, t.bOff(), o.bRs, o.bCs,
                one, t.cOff(), o.ldc, true);
        float[] two = o.c0.clone();
        Parallel.setThreads(2);
        Sgemm.gemm(t.m(), t.n(), t.k(), o.a, t.aOff(), o.aRs, o.aCs, o.b, t.bOff(), o.bRs, o.bCs,
                two, t.cOff(), o.ldc, true);
        o.check(one);
        o.check(two);
        for (int i = 0; i < one.length; i++) {
            assertEquals(one[i], two[i], 1e-4f * (1 + Math.abs(one[i])), "element " + i);
        }
    }

    @Test
    void kZeroClearsOrKeepsC() {
        float[] c = {1, 2, 3, 4, 5, 6, 7};
        Sgemm.gemm(2, 3, 0, new float[0], 0, 0, 0, new float[0], 0, 0, 0, c, 1, 3, true);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7}, c);
        Sgemm.gemm(2, 3, 0, new float[0], 0, 0, 0, new float[0], 0, 0, 0, c, 1, 3, false);
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 0, 0}, c);
    }

    @Test
    void emptyOutputTouchesNothing() {
        float[] c = {9};
        Sgemm.gemm(0, 5, 5, new float[0], 0, 5, 1, new float[25], 0, 5, 1, c, 0, 5, false);
        Sgemm.gemm(5, 0, 5, new float[25], 0, 5, 1, new float[0], 0, 0, 1, c, 0, 0, false);
        assertArrayEquals(new float[] {9}, c);
    }

    @Test
    void scalarKernelMatchesVectorKernel() {
        int kc = 37;
        int mr = SgemmSettings.MR;
        int nr = SgemmSettings.NR;
        SplittableRandom r = new SplittableRandom(7);
        float[] ap = new float[mr * kc];
        float[] bp = new float[nr * kc];
        for (int i = 0; i < ap.length; i++) {
            ap[i] = (float) (r.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < bp.length; i++) {
            bp[i] = (float) (r.nextDouble() * 2 - 1);
        }
        float[] scalar = new float[mr * nr];
        SgemmScalarKernel.tile(kc, ap, 0, bp, 0, scalar, 0, nr, false);
        for (int i = 0; i < mr; i++) {
            for (int j = 0; j < nr; j++) {
                double s = 0;
                for (int p = 0; p < kc; p++) {
                    s += (double) ap[p * mr + i] * bp[p * nr + j];
                }
                assertEquals(s, scalar[i * nr + j], 1e-5 * kc, "scalar (" + i + "," + j + ")");
            }
        }
        if (SgemmSettings.BITS != 0) {
            float[] vector = new float[mr * nr];
            float[] scratch = new float[mr * nr];
            SgemmMicroKernel.tile(kc, ap, 0, bp, 0, vector, 0, nr, false, scratch);
            for (int i = 0; i < vector.length; i++) {
                assertEquals(scalar[i], vector[i], 1e-5f * kc, "vector vs scalar at " + i);
            }
            // The in-place kernel reads the same panel as six rows (with a stride that is not the depth): same bits.
            int lda = kc + 3;
            float[] rows = new float[mr * lda];
            for (int i = 0; i < mr; i++) {
                for (int p = 0; p < kc; p++) {
                    rows[i * lda + p] = ap[p * mr + i];
                }
            }
            float[] inPlace = new float[mr * nr];
            SgemmMicroKernel.tileRows(kc, rows, 0, lda, bp, 0, inPlace, 0, nr, false, scratch);
            for (int i = 0; i < vector.length; i++) {
                assertEquals(Float.floatToRawIntBits(vector[i]), Float.floatToRawIntBits(inPlace[i]),
                        "packed vs in-place A at " + i);
            }
            if (SgemmSettings.BITS == 512) {
                // The wide kernel: this panel of B and a second one beside it in one tile, C two panels wide (with
                // a row stride past them), added to C as well. Each half: the narrow kernel's bits.
                float[] bp2 = new float[nr * kc];
                for (int i = 0; i < bp2.length; i++) {
                    bp2[i] = (float) (r.nextDouble() * 2 - 1);
                }
                float[] both = new float[bp.length + 5 + bp2.length];
                System.arraycopy(bp, 0, both, 0, bp.length);
                System.arraycopy(bp2, 0, both, bp.length + 5, bp2.length);
                float[] second = new float[mr * nr];
                SgemmMicroKernel.tile(kc, ap, 0, bp2, 0, second, 0, nr, false, scratch);
                for (boolean add : new boolean[] {false, true}) {
                    int ldc = 2 * nr + 3;
                    float[] wide = new float[mr * ldc];
                    for (int i = 0; i < wide.length; i++) {
                        wide[i] = add ? i * 0.25f : Float.NaN;
                    }
                    float[] start = wide.clone();
                    SgemmMicroKernel.tileWide(kc, ap, 0, both, 0, bp.length + 5, wide, 0, ldc, add, scratch,
                            new float[mr * nr]);
                    for (int i = 0; i < mr; i++) {
                        for (int j = 0; j < 2 * nr; j++) {
                            float half = j < nr ? vector[i * nr + j] : second[i * nr + j - nr];
                            float want = add ? start[i * ldc + j] + half : half;
                            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(wide[i * ldc + j]),
                                    "wide vs two tiles at (" + i + "," + j + ")" + (add ? " added" : ""));
                        }
                        for (int j = 2 * nr; j < ldc; j++) {
                            assertEquals(Float.floatToRawIntBits(start[i * ldc + j]),
                                    Float.floatToRawIntBits(wide[i * ldc + j]), "wide tile wrote past its columns");
                        }
                    }
                }
            }
            // Adding to C goes through the scratch tile: C must end up as before plus the product.
            float[] added = new float[mr * nr];
            for (int i = 0; i < added.length; i++) {
                added[i] = i - 7.5f;
            }
            SgemmMicroKernel.tile(kc, ap, 0, bp, 0, added, 0, nr, true, scratch);
            for (int i = 0; i < added.length; i++) {
                assertEquals((i - 7.5f) + vector[i], added[i], 0f, "vector tile added to C at " + i);
            }
        }
    }

    @Test
    void badArgumentsAreReportedNotIndexedOutOfBounds() {
        float[] a = new float[12];
        float[] b = new float[12];
        float[] c = new float[9];
        assertMessage(() -> Sgemm.gemm(-1, 3, 4, a, 0, 4, 1, b, 0, 3, 1, c, 0, 3, false), "m=-1");
        assertMessage(() -> Sgemm.gemm(3, 3, 4, new float[11], 0, 4, 1, b, 0, 3, 1, c, 0, 3, false), "A is 3x4");
        assertMessage(() -> Sgemm.gemm(3, 3, 4, a, 0, 4, 1, b, 1, 3, 1, c, 0, 3, false), "B is 4x3");
        assertMessage(() -> Sgemm.gemm(3, 3, 4, a, 0, 4, 1, b, 0, 3, 1, c, 1, 3, false), "C is 3x3");
        assertMessage(() -> Sgemm.gemm(3, 3, 4, a, 0, -4, 1, b, 0, 3, 1, c, 0, 3, false), "A is 3x4");
        assertMessage(() -> Sgemm.gemm(3, 3, 4, a, 0, 4, 1, b, 0, 3, 1, c, 0, 2, false), "ldc");
        assertMessage(() -> Sgemm.gemm(3, 3, 4, null, 0, 4, 1, b, 0, 3, 1, c, 0, 3, false), "null");
    }

    private static void assertMessage(Runnable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith("Sgemm.gemm"), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    }

    /** Random operands laid out as a case describes, and the reference check. */
    private static final class Operands {
        final Case t;
        final float[] a;
        final float[] b;
        final float[] c0;
        final int aRs;
        final int aCs;
        final int bRs;
        final int bCs;
        final int ldc;

        private Operands(Case t) {
            this.t = t;
            SplittableRandom r = new SplittableRandom(t.seed());
            int m = t.m();
            int n = t.n();
            int k = t.k();
            int[] as = strides(t.aLayout(), m, k, true);
            int[] bs = strides(t.bLayout(), k, n, false);
            aRs = as[0];
            aCs = as[1];
            bRs = bs[0];
            bCs = bs[1];
            ldc = n + t.ldcPad();
            a = random(r, t.aOff() + m * k + 1);
            b = random(r, t.bOff() + k * n + 1);
            c0 = random(r, t.cOff() + m * ldc + 1);
        }

        static Operands of(Case t) {
            return new Operands(t);
        }

        /**
         * Strides of a rows×cols operand: row-major, column-major, or broadcast (stride 0) along the depth axis,
         * which is A's column axis and B's row axis.
         */
        private static int[] strides(char layout, int rows, int cols, boolean depthIsColumn) {
            return switch (layout) {
                case 'r' -> new int[] {cols, 1};
                case 't' -> new int[] {1, rows};
                case 'b' -> depthIsColumn ? new int[] {cols, 0} : new int[] {0, 1};
                default -> throw new IllegalArgumentException(String.valueOf(layout));
            };
        }

        private static float[] random(SplittableRandom r, int size) {
            float[] x = new float[size];
            for (int i = 0; i < size; i++) {
                x[i] = (float) (r.nextDouble() * 2 - 1);
            }
            return x;
        }

        /** Every element of C within a rounding bound relative to the magnitudes summed; the rest untouched. */
        void check(float[] c) {
            int m = t.m();
            int n = t.n();
            int k = t.k();
            boolean[] inside = new boolean[c.length];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int ci = t.cOff() + i * ldc + j;
                    inside[ci] = true;
                    double sum = t.accumulate() ? c0[ci] : 0;
                    double mag = Math.abs(sum);
                    for (int p = 0; p < k; p++) {
                        double x = (double) a(i, p) * b(p, j);
                        sum += x;
                        mag += Math.abs(x);
                    }
                    double tol = 2.0 * (k + 2) * Math.ulp(1f) * mag + 1e-30;
                    if (Math.abs(c[ci] - sum) > tol) {
                        fail(t + ": C(" + i + "," + j + ") = " + c[ci] + ", expected " + sum + " ± " + tol);
                    }
                }
            }
            for (int i = 0; i < c.length; i++) {
                if (!inside[i] && c[i] != c0[i]) {
                    fail(t + ": element " + i + " outside C was changed");
                }
            }
        }

        private float a(int i, int p) {
            return a[t.aOff() + i * aRs + p * aCs];
        }

        private float b(int p, int j) {
            return b[t.bOff() + p * bRs + j * bCs];
        }
    }
}
