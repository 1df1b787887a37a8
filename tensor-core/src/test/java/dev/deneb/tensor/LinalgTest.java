package dev.deneb.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.testing.Cases;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * inverse, solve, det, slogdet, cholesky, qr, svd and eigh checked against their definitions (A·A⁻¹ = I, A·X = B,
 * det by cofactor expansion, L·Lᵀ = A, Q·R = A, U·diag(S)·Vh = A, A·V = V·diag(λ)) and hand-computed values, on both
 * CPU backends, in f32 and f64, batched, on transposed, stepped and expanded inputs; and their bad inputs.
 *
 * <p>Results are computed in f64 and rounded once, so the definitions are checked in f64 on the returned values:
 * within 1e-10 (f64) and 1e-5 (f32, one rounding of well-conditioned results) relative to the matrices' scale.
 */
class LinalgTest {

    static Stream<Arguments> backendsAndDtypes() {
        return Stream.of(Backends.reference(), Backends.cpu()).flatMap(b -> Stream.of(
                Arguments.of(b, DType.F32), Arguments.of(b, DType.F64)));
    }

    static double tol(DType t) {
        return t == DType.F64 ? 1e-10 : 1e-5;
    }

    /** Normal values, f64, on {@code be}. */
    static Tensor normal(Random r, Backend be, int... shape) {
        double[] v = new double[Cases.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Cases.fromDoubles(be, DType.F64, shape, v);
    }

    static Tensor eye(Backend be, int n) {
        return Tensor.eye(n, n, DType.F64).to(be);
    }

    /** Random matrices plus n·I: well conditioned. */
    static Tensor wellConditioned(Random r, Backend be, int... shape) {
        int n = shape[shape.length - 1];
        return normal(r, be, shape).add(eye(be, n).mul(n));
    }

    /** M·Mᵀ + n·I. */
    static Tensor spd(Random r, Backend be, int... shape) {
        Tensor m = normal(r, be, shape);
        int n = shape[shape.length - 1];
        Tensor p = m.matmul(m.mT());
        return p.add(p.mT()).mul(0.5).add(eye(be, n).mul(n));   // exactly symmetric
    }

    /** |e - a| <= tol·(1 + max|e|) everywhere, compared in f64. */
    static void close(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        double scale = 1;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(e[i] - a[i]);
            assertTrue(err <= tol * scale, what + ": element " + i + " expected " + e[i] + " got " + a[i]);
        }
    }

    static Tensor f64(Tensor t) {
        return t.to(DType.F64);
    }

    /** The identity of size n broadcast over the batch of {@code like} ({@code [..., n, n]}). */
    static Tensor identityLike(Tensor like, int n) {
        int[] s = like.shape();
        s[s.length - 1] = n;
        s[s.length - 2] = n;
        return eye(like.backend(), n).expand(s);
    }

    /** Determinant by cofactor expansion along the first row. */
    static double cofactorDet(double[][] a) {
        int n = a.length;
        if (n == 0) {
            return 1;
        }
        double det = 0;
        for (int j = 0; j < n; j++) {
            double[][] minor = new double[n - 1][n - 1];
            for (int i = 1; i < n; i++) {
                for (int k = 0, c = 0; k < n; k++) {
                    if (k != j) {
                        minor[i - 1][c++] = a[i][k];
                    }
                }
            }
            det += (j % 2 == 0 ? 1 : -1) * a[0][j] * cofactorDet(minor);
        }
        return det;
    }

    static double[][] matrix(double[] flat, int b, int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = flat[(b * n + i) * n + j];
            }
        }
        return m;
    }

    // =========================================================================================================
    // inverse and solve
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("backendsAndDtypes")
    void inverseOfHandComputedMatrices(Backend be, DType t) {
        Tensor a = Cases.fromDoubles(be, t, new int[] {2, 2}, new double[] {4, 7, 2, 6});
        Tensor inv = a.inverse();
        assertSame(be, inv.backend());
        assertEquals(t, inv.dtype());
        close(Tensor.of(new double[] {0.6, -0.7, -0.2, 0.4}, 2, 2), inv, tol(t), "inverse of [[4, 7], [2, 6]]");
        // A permutation matrix is its own transpose's inverse.
        Tensor p = Cases.fromDoubles(be, t, new int[] {3, 3}, new double[] {0, 1, 0, 0, 0, 1, 1, 0, 0});
        close(p.mT(), p.inverse(), 0, "inverse of a permutation");
    }

    @ParameterizedTest
    @MethodSource("backendsAndDtypes")
    void inverseTimesMatrixIsIdentityInEveryLayout(Backend be, DType t) {
        Random r = new Random(11);
        Tensor a = wellConditioned(r, be, 2, 3, 4, 4).to(t);
        Tensor inv = a.inverse();
        assertArrayEquals(new int[] {2, 3, 4, 4}, inv.shape());
        close(identityLike(a, 4), f64(a).matmul(f64(inv)), tol(t), "A·inverse(A)");
        close(identityLike(a, 4), f64(inv).matmul(f64(a)), tol(t), "inverse(A)·A");
        // Transposed: inverse(Aᵀ) = inverse(A)ᵀ.
        Tensor at = a.mT();
        assertTrue(!at.isContiguous());
        close(f64(inv).mT(), at.inverse(), tol(t), "inverse of transposed");
        // Stepped slice: every other matrix of the batch.
        Tensor stepped = a.slice(1, 0, 3, 2);
        close(f64(inv).slice(1, 0, 3, 2), stepped.inverse(), tol(t), "inverse of stepped slice");
        // Expanded batch: one matrix broadcast.
        Tensor one = a.select(0, 0).select(0, 0);
        Tensor expanded = one.expand(3, 4, 4);
        close(f64(inv).select(0, 0).select(0, 0).expand(3, 4, 4), expanded.inverse(), tol(t), "inverse of expanded");
    }

    @ParameterizedTest
    @MethodSource("backendsAndDtypes")
    void solveMatrixAndVectorRightHandSides(Backend be, DType t) {
        Random r = new Random(12);
        Tensor a = wellConditioned(r, be, 2, 3, 3).to(t);
        Tensor b = normal(r, be, 2, 3, 4).to(t);
        Tensor x = Tensor.solve(a, b);
        assertArrayEquals(new int[] {2, 3, 4}, x.shape());
        assertEquals(t, x.dtype());
        close(f64(b), f64(a).matmul(f64(x)), tol(t), "A·X = B");
        // Batched vectors: B has A's shape without the last axis.
        Tensor bv = normal(r, be, 2, 3).to(t);
        Tensor xv = Tensor.solve(a, bv);
        assertArrayEquals(new int[] {2, 3}, xv.shape());
        close(f64(bv), f64(a).matmul(f64(xv).unsqueeze(-1)).squeeze(-1), tol(t), "A·x = b batched");
        // A 1-D right-hand side broadcast over A's batch.
        Tensor b1 = normal(r, be, 3).to(t);
        Tensor x1 = Tensor.solve(a, b1);
        assertArrayEquals(new int[] {2, 3}, x1.shape());
        close(f64(b1).expand(2, 3), f64(a).matmul(f64(x1).unsqueeze(-1)).squeeze(-1), tol(t), "A·x = b broadcast");
        // The same as inverse(A)·B.
        close(f64(a.inverse()).matmul(f64(b)), x, 10 * tol(t), "solve vs inverse");
    }

    @ParameterizedTest
    @MethodSource("backendsAndDtypes")
    void solveBroadcastsBatchesAndTakesTransposedInputs(Backend be, DType t) {
        Random r = new Random(13);
        Tensor a = wellConditioned(r, be, 2, 1, 3, 3).to(t);
        Tensor b = normal(r, be, 4, 2, 3).to(t).mT();          // [4, 3, 2], transposed
        Tensor x = Tensor.solve(a.mT(), b);
        assertArrayEquals(new int[] {2, 4, 3, 2}, x.shape());
        close(f64(b).expand(2, 4, 3, 2), f64(a.mT()).matmul(f64(x)), tol(t), "broadcast A·X = B");
        // A [3, 3, 3] with B [3, 3] is the vector case (B has A's shape without its last axis), as in PyTorch.
        Tensor a3 = wellConditioned(r, be, 3, 3, 3).to(t);
        Tensor b3 = normal(r, be, 3, 3).to(t);
        Tensor x3 = Tensor.solve(a3, b3);
        for (int i = 0; i < 3; i++) {
            close(f64(b3.select(0, i)), f64(a3.select(0, i)).matmul(f64(x3.select(0, i))), tol(t), "vector " + i);
        }
    }

    @Test
    void mixedPrecisionSolvePromotesToF64() {
        Random r = new Random(14);
        Tensor a = wellConditioned(r, Backends.cpu(), 3, 3).to(DType.F32);
        Tensor b = normal(r, Backends.cpu(), 3, 2);
        assertEquals(DType.F64, Tensor.solve(a, b).dtype());
    }

    @Test
    void emptyBatchesAndEmptyMatrices() {
        assertArrayEquals(new int[] {0, 3, 3}, Tensor.zeros(0, 3, 3).inverse().shape());
        assertArrayEquals(new int[] {2, 0, 0}, Tensor.zeros(2, 0, 0).inverse().shape());
        assertArrayEquals(new int[] {0, 3, 2}, Tensor.solve(Tensor.zeros(0, 3, 3), Tensor.zeros(3, 2)).shape());
        assertArrayEquals(new float[] {1, 1}, Tensor.zeros(2, 0, 0).det().toFloatArray());
        assertArrayEquals(new int[] {0}, Tensor.zeros(0, 2, 2).det().shape());
        assertArrayEquals(new int[] {2, 0, 0}, Tensor.zeros(2, 0, 0).cholesky().shape());
        Linalg.Qr qr = Tensor.zeros(3, 0).qr();
        assertArrayEquals(new int[] {3, 0}, qr.q().shape());
        assertArrayEquals(new int[] {0, 0}, qr.r().shape());
        Linalg.Svd svd = Tensor.zeros(2, 0, 4).svd();
        assertArrayEquals(new int[] {2, 0, 0}, svd.u().shape());
        assertArrayEquals(new int[] {2, 0}, svd.s().shape());
        assertArrayEquals(new int[] {2, 0, 4}, svd.vh().shape());
        Linalg.Eigh e = Tensor.zeros(0, 2, 2).eigh();
        assertArrayEquals(new int[] {0, 2}, e.eigenvalues().shape());
        assertArrayEquals(new int[] {0, 2, 2}, e.eigenvectors().shape());
    }

    // =========================================================================================================
    // det and slogdet
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("backendsAndDtypes")
    void detMatchesCofactorExpansion(Backend be, DType t) {
        Random r = new Random(21);
        for (int n = 1; n <= 5; n++) {
            Tensor a = normal(r, be, 3, n, n).to(t);
            double[] flat = a.toDoubleArray();
            Tensor det = a.det();
            Linalg.Slogdet s = a.slogdet();
            assertArrayEquals(new int[] {3}, det.shape());
            assertEquals(t, det.dtype());
            for (int b = 0; b < 3; b++) {
                double expected = cofactorDet(matrix(flat, b, n));
                double got = det.get(b);
                assertEquals(expected, got, tol(t) * Math.max(1, Math.abs(expected)), "det n=" + n + " b=" + b);
                assertEquals(Math.signum(expected), s.sign().get(b), "sign n=" + n);
                assertEquals(Math.log(Math.abs(expected)), s.logAbsDet().get(b), tol(t) * 10, "logAbsDet n=" + n);
            }
            // det(Aᵀ) = det(A), on a non-contiguous input.
            close(f64(det), a.mT().det(), tol(t), "det of transposed n=" + n);
        }
    }

    @ParameterizedTest
    @MethodSource("backendsAndDtypes")
    void detOfSpecialMatrices(Backend be, DType t) {
        Tensor swap = Cases.fromDoubles(be, t, new int[] {2, 2}, new double[] {0, 1, 1, 0});
        assertEquals(-1, swap.det().item());
        assertArrayEquals(new int[0], swap.det().shape());
        Tensor singular = Cases.fromDoubles(be, t, new int[] {2, 2}, new double[] {1, 2, 2, 4});
        assertEquals(0, singular.det().item());
        Linalg.Slogdet s = singular.slogdet();
        assertEquals(0.0, s.sign().item());
        assertEquals(Double.NEGATIVE_INFINITY, s.logAbsDet().item());
        // log|det| does not overflow where det does: 60·I in f32 has det 60^40 > Float.MAX_VALUE.
        Tensor big = eye(be, 40).mul(60).to(t);
        assertEquals(40 * Math.log(60), big.slogdet().logAbsDet().item(), 1e-4);
        if (t == DType.F32) {
            assertEquals(Double.POSITIVE_INFINITY, big.det().item());
        }
    }

    // =========================================================================================================
    // cholesky
    // =========================================================================================================

    @ParameterizedTest
    @MethodSource("backendsAndDtypes")
    void choleskyIsLowerAndReconstructs(Backend be, DType t) {
        Random r = new Random(31);
        Tensor a = spd(r, be, 2, 3, 5, 5).to(t);
        Tensor l = a.cholesky();
        assertArrayEquals(a.shape(), l.shape());
        double[] v = l.toDoubleArray();
        for (int b = 0; b < 6; b++) {
            for (int i = 0; i < 5; i++) {
                assertTrue(v[(b * 5 + i) * 5 + i] > 0, "positive diagonal");
                for (int j = i + 1; j < 5; j++) {
                    assertEquals(0.0, v[(b * 5 + i) * 5 + j], "upper triangle is zero");
                }
            }
        }
        close(f64(a), f64(l).matmul(f64(l).mT()), tol(t), "L·Lᵀ = A");
        // Only the lower triangle is read: garbage above the diagonal changes nothing.
        Tensor i = Tensor.arange(5).reshape(5, 1);
        Tensor j = Tensor.arange(5).reshape(1, 5);
        Tensor garbage = Tensor.where(i.lt(j).to(be), a.add(100), a);
        close(f64(l), garbage.cholesky(), 0, "upper triangle ignored");
        // Transposed (A is symmetric, so Aᵀ = A) and stepped inputs.
        close(f64(l), a.mT().cholesky(), 0, "cholesky of transposed");
        close(f64(l).slice(1, 1, 3, 2), a.slice(1, 1, 3, 2).cholesky(), 0, "cholesky of stepped slice");
        // Hand-checked: [[4, 2], [2, 10]] = [[2, 0], [1, 3]]·[[2, 1], [0, 3]].
        Tensor h = Cases.fromDoubles(be, t, new int[] {2, 2}, new double[] {4, 2, 2, 10});
        close(Tensor.of(new double[] {2, 0, 1, 3}, 2, 2), h.cholesky(), tol(t), "hand-checked cholesky");
    }

    // =========================================================================================================
    // qr, svd, eigh
    // =========================================================================================================

    static Stream<Arguments> rectangular() {
        return backendsAndDtypes().flatMap(a -> Stream.of(new int[] {5, 3}, new int[] {3, 3}, new int[] {3, 5},
                new int[] {1, 4}, new int[] {4, 1}).map(s -> Arguments.of(a.get()[0], a.get()[1], s[0], s[1])));
    }

    @ParameterizedTest
    @MethodSource("rectangular")
    void qrIsOrthonormalTimesUpperTriangular(Backend be, DType t, int m, int n) {
        Random r = new Random(41 + m * 7 + n);
        Tensor a = normal(r, be, 2, m, n).to(t);
        int k = Math.min(m, n);
        for (Tensor in : new Tensor[] {a, a.mT().contiguous().mT(), normal(r, be, 1, m, n).to(t).expand(2, m, n)}) {
            Linalg.Qr qr = in.qr();
            assertArrayEquals(new int[] {2, m, k}, qr.q().shape());
            assertArrayEquals(new int[] {2, k, n}, qr.r().shape());
            assertEquals(t, qr.q().dtype());
            close(identityLike(qr.q(), k), f64(qr.q()).mT().matmul(f64(qr.q())), tol(t), "QᵀQ = I");
            close(f64(in), f64(qr.q()).matmul(f64(qr.r())), tol(t), "Q·R = A");
            double[] rv = qr.r().toDoubleArray();
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < Math.min(i, n); j++) {
                        assertEquals(0.0, rv[(b * k + i) * n + j], "R is upper triangular");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("rectangular")
    void svdReconstructsWithOrthonormalFactorsAndDescendingValues(Backend be, DType t, int m, int n) {
        Random r = new Random(51 + m * 7 + n);
        Tensor a = normal(r, be, 3, m, n).to(t);
        int k = Math.min(m, n);
        for (Tensor in : new Tensor[] {a, a.mT().contiguous().mT(), a.slice(0, 0, 3, 2)}) {
            Linalg.Svd s = in.svd();
            int batch = in.size(0);
            assertArrayEquals(new int[] {batch, m, k}, s.u().shape());
            assertArrayEquals(new int[] {batch, k}, s.s().shape());
            assertArrayEquals(new int[] {batch, k, n}, s.vh().shape());
            double[] sv = s.s().toDoubleArray();
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < k; i++) {
                    assertTrue(sv[b * k + i] >= 0, "non-negative");
                    assertTrue(i == 0 || sv[b * k + i] <= sv[b * k + i - 1], "descending: " + Arrays.toString(sv));
                }
            }
            close(identityLike(s.u(), k), f64(s.u()).mT().matmul(f64(s.u())), tol(t), "UᵀU = I");
            close(identityLike(s.vh(), k), f64(s.vh()).matmul(f64(s.vh()).mT()), tol(t), "Vh·Vhᵀ = I");
            close(f64(in), f64(s.u()).mul(f64(s.s()).unsqueeze(-2)).matmul(f64(s.vh())), tol(t),
                    "U·diag(S)·Vh = A");
            // σ² are the eigenvalues of A·Aᵀ (or Aᵀ·A), independently of the singular vectors.
            Tensor gram = m <= n ? f64(in).matmul(f64(in).mT()) : f64(in).mT().matmul(f64(in));
            long[] descending = new long[k];
            for (int i = 0; i < k; i++) {
                descending[i] = k - 1 - i;
            }
            Tensor lambda = gram.eigh().eigenvalues().indexSelect(-1, Tensor.of(descending).to(be));
            close(lambda, f64(s.s()).mul(f64(s.s())), tol(t) * 10, "σ² vs eigenvalues of the Gram matrix");
        }
    }

    @ParameterizedTest
    @MethodSource("backendsAndDtypes")
    void svdOfHandCheckedMatrices(Backend be, DType t) {
        Tensor d = Cases.fromDoubles(be, t, new int[] {2, 2}, new double[] {-2, 0, 0, 3});
        close(Tensor.of(new double[] {3, 2}), d.svd().s(), tol(t), "singular values of diag(-2, 3)");
        Tensor ones = Cases.fromDoubles(be, t, new int[] {2, 2}, new double[] {1, 1, 1, 1});
        close(Tensor.of(new double[] {2, 0}), ones.svd().s(), tol(t), "singular values of a rank-1 matrix");
    }

    @ParameterizedTest
    @MethodSource("backendsAndDtypes")
    void eighDiagonalisesWithAscendingEigenvalues(Backend be, DType t) {
        Random r = new Random(61);
        Tensor x = normal(r, be, 2, 3, 4, 4);
        Tensor a = x.add(x.mT()).to(t);
        for (Tensor in : new Tensor[] {a, a.mT(), a.slice(1, 0, 3, 2), a.select(0, 1).select(0, 2).expand(2, 4, 4)}) {
            Linalg.Eigh e = in.eigh();
            int[] batch = Arrays.copyOf(in.shape(), in.dim() - 2);
            int[] valuesShape = Arrays.copyOf(batch, batch.length + 1);
            valuesShape[batch.length] = 4;
            assertArrayEquals(valuesShape, e.eigenvalues().shape());
            assertArrayEquals(in.shape(), e.eigenvectors().shape());
            double[] lv = e.eigenvalues().toDoubleArray();
            for (int i = 1; i < lv.length; i++) {
                assertTrue(i % 4 == 0 || lv[i] >= lv[i - 1], "ascending: " + Arrays.toString(lv));
            }
            Tensor v = f64(e.eigenvectors());
            close(identityLike(v, 4), v.mT().matmul(v), tol(t), "VᵀV = I");
            close(v.mul(f64(e.eigenvalues()).unsqueeze(-2)), f64(in).matmul(v), tol(t) * 10, "A·V = V·diag(λ)");
        }
        // Hand-checked: [[2, 1], [1, 2]] has eigenvalues 1 and 3, with eigenvectors (1, -1)/√2 and (1, 1)/√2.
        Tensor h = Cases.fromDoubles(be, t, new int[] {2, 2}, new double[] {2, 1, 1, 2});
        Linalg.Eigh e = h.eigh();
        close(Tensor.of(new double[] {1, 3}), e.eigenvalues(), tol(t), "eigenvalues of [[2, 1], [1, 2]]");
        double[] v = e.eigenvectors().abs().toDoubleArray();
        for (double c : v) {
            assertEquals(Math.sqrt(0.5), c, tol(t));
        }
        // Only the lower triangle is read.
        Tensor lower = Cases.fromDoubles(be, t, new int[] {2, 2}, new double[] {2, 99, 1, 2});
        close(Tensor.of(new double[] {1, 3}), lower.eigh().eigenvalues(), tol(t), "upper triangle ignored");
    }

    @Test
    void bothCpuBackendsAgreeExactly() {
        Random r = new Random(71);
        Tensor a = spd(r, Backends.reference(), 2, 4, 4).to(DType.F32);
        Tensor b = a.to(Backends.cpu());
        assertArrayEquals(a.inverse().toFloatArray(), b.inverse().toFloatArray());
        assertArrayEquals(a.cholesky().toFloatArray(), b.cholesky().toFloatArray());
        assertArrayEquals(a.svd().u().toFloatArray(), b.svd().u().toFloatArray());
        assertArrayEquals(a.eigh().eigenvectors().toFloatArray(), b.eigh().eigenvectors().toFloatArray());
        assertArrayEquals(a.qr().r().toFloatArray(), b.qr().r().toFloatArray());
    }

    // =========================================================================================================
    // Bad input
    // =========================================================================================================

    @Nested
    class BadInput {
        void bad(Executable call, String... fragments) {
            BadInputTest.bad(call, fragments);
        }

        @Test void inverseOfVector() { bad(() -> Tensor.zeros(3).inverse(), "inverse", "rank >= 2", "[3]"); }
        @Test void inverseOfScalar() { bad(() -> Tensor.scalar(2).inverse(), "inverse", "[]"); }
        @Test void inverseNotSquare() { bad(() -> Tensor.zeros(2, 3).inverse(), "inverse", "square", "[2, 3]"); }
        @Test void inverseOfIntegers() {
            bad(() -> Tensor.of(new long[] {1, 0, 0, 1}, 2, 2).inverse(), "inverse", "floating-point", "i64");
        }

        @Test void inverseOfBools() {
            bad(() -> Tensor.of(new boolean[] {true, false, false, true}, 2, 2).inverse(), "inverse",
                    "floating-point", "bool");
        }

        @Test void detNotSquare() { bad(() -> Tensor.zeros(4, 2, 3).det(), "det", "square", "[4, 2, 3]"); }
        @Test void detOfIntegers() {
            bad(() -> Tensor.of(new int[] {1, 2, 3, 4}, 2, 2).det(), "det", "floating-point", "i32");
        }

        @Test void slogdetNotSquare() { bad(() -> Tensor.zeros(2, 3).slogdet(), "slogdet", "square"); }
        @Test void choleskyNotSquare() { bad(() -> Tensor.zeros(3, 2).cholesky(), "cholesky", "square", "[3, 2]"); }
        @Test void choleskyOfIntegers() {
            bad(() -> Tensor.of(new long[] {1}, 1, 1).cholesky(), "cholesky", "floating-point");
        }

        @Test void eighNotSquare() { bad(() -> Tensor.zeros(3, 2).eigh(), "eigh", "square"); }
        @Test void eighOfIntegers() { bad(() -> Tensor.of(new long[] {1}, 1, 1).eigh(), "eigh", "floating-point"); }
        @Test void qrOfVector() { bad(() -> Tensor.zeros(3).qr(), "qr", "rank >= 2", "[3]"); }
        @Test void qrOfIntegers() { bad(() -> Tensor.of(new long[] {1, 2}, 1, 2).qr(), "qr", "floating-point"); }
        @Test void svdOfVector() { bad(() -> Tensor.zeros(3).svd(), "svd", "rank >= 2"); }
        @Test void svdOfIntegers() { bad(() -> Tensor.of(new int[] {1, 2}, 2, 1).svd(), "svd", "floating-point"); }

        @Test void inverseOfSingular() {
            bad(() -> Tensor.of(new double[] {1, 2, 2, 4}, 2, 2).inverse(), "inverse", "[2, 2]", "singular");
        }

        @Test void inverseNamesTheSingularBatchElement() {
            Tensor a = Tensor.of(new double[] {1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 2, 0, 0, 2}, 2, 2, 2, 2);
            bad(a::inverse, "inverse", "batch index [1, 0]", "[2, 2, 2, 2]", "singular");
        }

        @Test void inverseOfZeros() { bad(() -> Tensor.zeros(3, 3).inverse(), "inverse", "singular", "pivot 0"); }

        @Test void solveNamesTheSingularBatchElement() {
            Tensor a = Tensor.of(new double[] {1, 0, 0, 1, 0, 0, 0, 0}, 2, 2, 2);
            bad(() -> Tensor.solve(a, Tensor.ones(DType.F64, 2)), "solve", "batch index [1]", "singular");
        }

        @Test void solveMismatchedRows() {
            bad(() -> Tensor.solve(Tensor.eye(3), Tensor.zeros(2, 4)), "solve", "[2, 4]", "[3, 3]", "[..., 3]");
        }

        @Test void solveMismatchedVector() {
            bad(() -> Tensor.solve(Tensor.eye(3), Tensor.zeros(4)), "solve", "[4]", "[3, 3]");
        }

        @Test void solveScalarRhs() { bad(() -> Tensor.solve(Tensor.eye(3), Tensor.scalar(1)), "solve", "[]"); }
        @Test void solveNonSquareA() {
            bad(() -> Tensor.solve(Tensor.zeros(3, 2), Tensor.zeros(3)), "solve", "square", "[3, 2]");
        }

        @Test void solveVectorA() {
            bad(() -> Tensor.solve(Tensor.zeros(3), Tensor.zeros(3)), "solve", "square", "[3]");
        }

        @Test void solveBatchesDoNotBroadcast() {
            bad(() -> Tensor.solve(Tensor.zeros(2, 3, 3), Tensor.zeros(4, 3, 1)), "solve", "batch", "[2]", "[4]");
        }

        @Test void solveIntegerRhs() {
            bad(() -> Tensor.solve(Tensor.eye(2), Tensor.of(new long[] {1, 2})), "solve", "floating-point", "i64");
        }

        @Test void solveOnTwoBackends() {
            Tensor a = Tensor.eye(2, 2, DType.F32).to(Backends.reference());
            bad(() -> Tensor.solve(a, Tensor.ones(2).to(Backends.cpu())), "solve", "backends");
        }

        @Test void choleskyNotPositiveDefinite() {
            bad(() -> Tensor.of(new double[] {1, 2, 2, 1}, 2, 2).cholesky(), "cholesky", "not positive-definite",
                    "order 2");
        }

        @Test void choleskyNamesTheBatchElementAndMinor() {
            double[] v = new double[3 * 9];
            for (int b = 0; b < 3; b++) {
                for (int i = 0; i < 3; i++) {
                    v[b * 9 + i * 4] = 1;
                }
            }
            v[2 * 9 + 2 * 4] = -1;          // batch 2: the third diagonal entry is negative
            Tensor a = Tensor.of(v, 3, 3, 3);
            bad(a::cholesky, "cholesky", "batch index [2]", "[3, 3, 3]", "order 3");
            bad(() -> Tensor.of(new double[] {0, 0, 0, 1}, 2, 2).cholesky(), "cholesky", "order 1");
            bad(() -> Tensor.of(new double[] {Double.NaN, 0, 0, 1}, 2, 2).cholesky(), "cholesky", "order 1");
        }

        @Test void svdOfNaN() {
            bad(() -> Tensor.of(new double[] {1, Double.NaN, 0, 1}, 1, 2, 2).svd(), "svd", "batch index [0]", "NaN");
        }

        @Test void eighOfInfinity() {
            bad(() -> Tensor.of(new double[] {1, 0, Double.POSITIVE_INFINITY, 1}, 2, 2).eigh(), "eigh", "infinite");
        }
    }
}
