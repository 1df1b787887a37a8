package dev.deneb.tensor.cpu;

import static dev.deneb.tensor.cpu.SgemmSettings.MR;
import static dev.deneb.tensor.cpu.SgemmSettings.NR;

import java.lang.invoke.VarHandle;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled inner kernel: a 6×(2 vectors) tile of C held in twelve local vectors while it walks the packed
 * panels of A and B. Each step loads two B vectors, then broadcasts the six A values one at a time, each feeding two
 * independent FMAs; there are no lane reductions anywhere.
 *
 * <p>Why twelve accumulators: an FMA has a latency of 4 cycles and two issue per cycle, so at least eight
 * independent sums must be in flight; with nine (the earlier 3×3 tile) the loop reached about 70 % of peak even in
 * C, with twelve it reaches peak. The catch is AVX2's sixteen registers: 12 accumulators + 2 B vectors + 1 broadcast
 * leave one spare, and C2 likes to issue every load of an iteration first (six live broadcasts), which spills
 * accumulators and halves the speed. {@link VarHandle#loadLoadFence()} between the rows stops that: a load may not
 * move above it, so each broadcast is issued just before its two FMAs. On x86 the fence emits no instruction (loads
 * are never reordered with loads there); it only constrains the compiler. Elsewhere it would emit a barrier, and
 * those machines have 32 vector registers anyway, so it is used on x86 only.
 */
final class SgemmMicroKernel {
    /** Must stay a static final constant: HotSpot only intrinsifies vector code whose species it can fold. */
    static final VectorSpecies<Float> S = SgemmSettings.BITS == 512 ? FloatVector.SPECIES_512
            : SgemmSettings.BITS == 128 ? FloatVector.SPECIES_128 : FloatVector.SPECIES_256;
    private static final int L = S.length();
    /** Whether to pin the broadcasts in place with compiler-only fences (see the class comment). */
    private static final boolean PIN = isX86();

    private SgemmMicroKernel() {}

    /**
     * Computes the MR×NR tile {@code A_panel·B_panel} over depth {@code kc} and stores it to
     * {@code c[ci + r*ldc + j]}, adding to what is there when {@code add}. The tile must lie fully inside C.
     */
    static void tile(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        for (int p = 0, aj = ai, bj = bi; p < kc; p++, aj += MR, bj += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bj);
            FloatVector b1 = FloatVector.fromArray(S, bp, bj + L);
            FloatVector a = FloatVector.broadcast(S, ap[aj]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            pin();
            a = FloatVector.broadcast(S, ap[aj + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            pin();
            a = FloatVector.broadcast(S, ap[aj + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            pin();
            a = FloatVector.broadcast(S, ap[aj + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            pin();
            a = FloatVector.broadcast(S, ap[aj + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            pin();
            a = FloatVector.broadcast(S, ap[aj + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        int r = ci;
        store(c00, c, r, add);
        store(c01, c, r + L, add);
        r += ldc;
        store(c10, c, r, add);
        store(c11, c, r + L, add);
        r += ldc;
        store(c20, c, r, add);
        store(c21, c, r + L, add);
        r += ldc;
        store(c30, c, r, add);
        store(c31, c, r + L, add);
        r += ldc;
        store(c40, c, r, add);
        store(c41, c, r + L, add);
        r += ldc;
        store(c50, c, r, add);
        store(c51, c, r + L, add);
    }

    /**
     * {@code c[i..] = v} or, when {@code add}, {@code c[i..] += v}. Kept under C2's MaxInlineSize (35 bytes of
     * bytecode), so it is inlined at any call site: a larger store helper after the loop was left out of line when
     * the JIT's profile said the call was cold, and then every call boxed its vector argument (a 6× slower GEMM).
     */
    static void store(FloatVector v, float[] c, int i, boolean add) {
        (add ? v.add(FloatVector.fromArray(S, c, i)) : v).intoArray(c, i);
    }

    /** A compiler-only fence on x86: loads after it stay after it (see the class comment). */
    static void pin() {
        if (PIN) {
            VarHandle.loadLoadFence();
        }
    }

    private static boolean isX86() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86") || arch.equals("i386");
    }
}
