package dev.deneb.tensor.cpu;

import static dev.deneb.tensor.cpu.SgemmSettings.MR;
import static dev.deneb.tensor.cpu.SgemmSettings.NR;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packed layouts element by element: panel q of A holds {@code A(q*MR + r, p)} at {@code q*MR*kc + p*MR + r},
 * panel q of B holds {@code B(p, q*NR + j)} at {@code q*NR*kc + p*NR + j}, ragged panels zero-padded. Depths and
 * row strides are drawn so vector loops end with leftovers (the in-register transpose of row-major A included).
 */
class SgemmPackingTest {
    static IntStream seeds() {
        return IntStream.range(0, 30);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void packsAInPanelsOfMrRows(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int mc = 1 + r.nextInt(40);
        int kc = 1 + r.nextInt(seed % 3 == 0 ? 300 : 70);
        boolean rowMajor = seed % 4 != 3;
        int pad = r.nextInt(20);
        int rs = rowMajor ? kc + pad : 1;
        int cs = rowMajor ? 1 : mc + pad;
        int off = r.nextInt(5);
        float[] a = new float[off + (mc - 1) * rs + (kc - 1) * cs + 1];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        int panels = (mc + MR - 1) / MR;
        float[] dst = new float[panels * MR * kc];
        java.util.Arrays.fill(dst, Float.NaN);
        SgemmPacking.packA(mc, kc, a, off, rs, cs, dst);
        for (int q = 0; q < panels; q++) {
            for (int p = 0; p < kc; p++) {
                for (int x = 0; x < MR; x++) {
                    int i = q * MR + x;
                    float want = i < mc ? a[off + i * rs + p * cs] : 0f;
                    assertEquals(want, dst[q * MR * kc + p * MR + x], "mc=" + mc + " kc=" + kc + " rs=" + rs
                            + " cs=" + cs + ": row " + i + " depth " + p);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void packsBInPanelsOfNrColumns(int seed) {
        SplittableRandom r = new SplittableRandom(100 + seed);
        int kc = 1 + r.nextInt(90);
        int nc = 1 + r.nextInt(3 * NR);
        boolean rowMajor = seed % 3 != 2;
        int pad = r.nextInt(20);
        int rs = rowMajor ? nc + pad : 1;
        int cs = rowMajor ? 1 : kc + pad;
        int off = r.nextInt(5);
        float[] b = new float[off + (kc - 1) * rs + (nc - 1) * cs + 1];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        int panels = (nc + NR - 1) / NR;
        float[] dst = new float[panels * NR * kc];
        java.util.Arrays.fill(dst, Float.NaN);
        SgemmPacking.packB(kc, nc, b, off, rs, cs, dst);
        for (int q = 0; q < panels; q++) {
            for (int p = 0; p < kc; p++) {
                for (int x = 0; x < NR; x++) {
                    int j = q * NR + x;
                    float want = j < nc ? b[off + p * rs + j * cs] : 0f;
                    assertEquals(want, dst[q * NR * kc + p * NR + x], "kc=" + kc + " nc=" + nc + " rs=" + rs
                            + " cs=" + cs + ": column " + j + " depth " + p);
                }
            }
        }
    }
}
