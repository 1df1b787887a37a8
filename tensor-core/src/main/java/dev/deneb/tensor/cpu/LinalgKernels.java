package dev.deneb.tensor.cpu;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.ejml.dense.row.decomposition.lu.LUDecompositionBase_DDRM;
import org.ejml.dense.row.decomposition.qr.QRDecompositionHouseholderColumn_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.linsol.lu.LinearSolverLu_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The decompositions behind the CPU backends' linear algebra: EJML's dense f64 algorithms applied to one matrix of
 * a batch at a time. Batches are row-major arrays of {@code batch} matrices, one after another; results are written
 * the same way. Failures are reported per matrix in {@code info} (0 = success), as LAPACK does.
 */
final class LinalgKernels {
    private LinalgKernels() {}

    /** info for {@link #svd} and {@link #eigh}: the matrix holds NaN or an infinity. */
    static final int NOT_FINITE = 1;
    /** info for {@link #svd} and {@link #eigh}: the iteration did not converge. */
    static final int NO_CONVERGENCE = 2;

    /** Matrix {@code b} ({@code rows × cols}) of a batch, copied into its own EJML matrix. */
    private static DMatrixRMaj matrix(double[] a, int b, int rows, int cols) {
        int size = rows * cols;
        return DMatrixRMaj.wrap(rows, cols, Arrays.copyOfRange(a, b * size, (b + 1) * size));
    }

    // =========================================================================================================
    // LU: inverse, solve, slogdet
    // =========================================================================================================

    /** LU with partial pivoting of matrix b, as a solver; {@code info[b]} = i + 1 for the first exactly-zero pivot
     *  U[i, i] (LAPACK's getrf convention). */
    private static LinearSolverLu_DDRM lu(double[] a, int b, int n, long[] info) {
        LinearSolverLu_DDRM solver = new LinearSolverLu_DDRM(new LUDecompositionAlt_DDRM());
        solver.setA(matrix(a, b, n, n));
        double[] f = solver.getDecomposition().getLU().data;
        for (int i = 0; i < n; i++) {
            if (f[i * n + i] == 0) {
                info[b] = i + 1;
                break;
            }
        }
        return solver;
    }

    /** X with A·X = B for each matrix; {@code info} as for {@link #lu}. */
    static double[] solve(double[] a, double[] rhs, int batch, int n, int k, long[] info) {
        double[] x = new double[batch * n * k];
        DMatrixRMaj out = new DMatrixRMaj(n, k);
        for (int b = 0; b < batch && n > 0; b++) {
            LinearSolverLu_DDRM solver = lu(a, b, n, info);
            if (info[b] == 0 && k > 0) {
                solver.solve(matrix(rhs, b, n, k), out);
                System.arraycopy(out.data, 0, x, b * n * k, n * k);
            }
        }
        return x;
    }

    /** The inverse of each matrix; {@code info} as for {@link #lu}. */
    static double[] inverse(double[] a, int batch, int n, long[] info) {
        double[] x = new double[batch * n * n];
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        for (int b = 0; b < batch && n > 0; b++) {
            LinearSolverLu_DDRM solver = lu(a, b, n, info);
            if (info[b] == 0) {
                solver.invert(out);
                System.arraycopy(out.data, 0, x, b * n * n, n * n);
            }
        }
        return x;
    }

    /** The sign (±1, 0 when singular) and log|det| of each matrix, from its LU factorisation. */
    static void slogdet(double[] a, int batch, int n, double[] sign, double[] logAbs) {
        long[] info = new long[batch];
        for (int b = 0; b < batch; b++) {
            if (n == 0) {
                sign[b] = 1;
                logAbs[b] = 0;
                continue;
            }
            LUDecompositionBase_DDRM lu = lu(a, b, n, info).getDecomposition();
            double[] f = lu.getLU().data;
            int[] swaps = lu.getIndx();
            double s = 1;
            double l = 0;
            for (int i = 0; i < n; i++) {
                double u = f[i * n + i];
                s *= Math.signum(u) * (swaps[i] != i ? -1 : 1);
                l += Math.log(Math.abs(u));
            }
            sign[b] = info[b] != 0 ? 0 : s;
            logAbs[b] = info[b] != 0 ? Double.NEGATIVE_INFINITY : l;
        }
    }

    // =========================================================================================================
    // Cholesky
    // =========================================================================================================

    /** The lower factor L of each matrix (whose lower triangle is read); {@code info[b]} = the order of the first
     *  leading minor that is not positive-definite. */
    static double[] cholesky(double[] a, int batch, int n, long[] info) {
        double[] out = new double[batch * n * n];
        for (int b = 0; b < batch && n > 0; b++) {
            double[] l = choleskyOfLeading(a, b, n, n);
            if (l == null) {
                // The first k steps of the factorisation are those of the leading k×k block, so the block
                // factorisations fail exactly from the failing order on: find it by bisection.
                int lo = 1;
                int hi = n;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (choleskyOfLeading(a, b, n, mid) == null) {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                info[b] = lo;
                continue;
            }
            System.arraycopy(l, 0, out, b * n * n, n * n);
        }
        return out;
    }

    /** L of the leading k×k block of matrix b, symmetric from its lower triangle; null when not positive-definite
     *  (including a NaN pivot, as LAPACK's potrf). */
    private static double[] choleskyOfLeading(double[] a, int b, int n, int k) {
        double[] m = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double v = a[(b * n + i) * n + j];
                m[i * k + j] = v;
                m[j * k + i] = v;
            }
        }
        CholeskyDecompositionInner_DDRM chol = new CholeskyDecompositionInner_DDRM(true);
        if (!chol.decompose(DMatrixRMaj.wrap(k, k, m))) {
            return null;
        }
        double[] l = chol.getT().data;
        for (int i = 0; i < k; i++) {
            if (Double.isNaN(l[i * k + i])) {
                return null;
            }
        }
        return l;
    }

    // =========================================================================================================
    // QR, SVD, symmetric eigendecomposition
    // =========================================================================================================

    /** Reduced QR of each m×n matrix into q ({@code [m, k]} each) and r ({@code [k, n]} each). */
    static void qr(double[] a, int batch, int m, int n, double[] q, double[] r) {
        int k = Math.min(m, n);
        for (int b = 0; b < batch && k > 0; b++) {
            QRDecompositionHouseholderColumn_DDRM qr = new QRDecompositionHouseholderColumn_DDRM();
            qr.decompose(matrix(a, b, m, n));
            System.arraycopy(qr.getQ(null, true).data, 0, q, b * m * k, m * k);
            System.arraycopy(qr.getR(null, true).data, 0, r, b * k * n, k * n);
        }
    }

    /** Reduced SVD of each m×n matrix into u ({@code [m, k]}), s ({@code [k]}, descending) and vh ({@code [k, n]}). */
    static void svd(double[] a, int batch, int m, int n, double[] u, double[] s, double[] vh, long[] info) {
        int k = Math.min(m, n);
        for (int b = 0; b < batch && k > 0; b++) {
            if (!finite(a, b, m * n)) {
                info[b] = NOT_FINITE;
                continue;
            }
            SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, true, true, true);
            if (!svd.decompose(matrix(a, b, m, n))) {
                info[b] = NO_CONVERGENCE;
                continue;
            }
            DMatrixRMaj uk = svd.getU(null, false);
            DMatrixRMaj w = svd.getW(null);
            DMatrixRMaj vt = svd.getV(null, true);
            SingularOps_DDRM.descendingOrder(uk, false, w, vt, true);
            System.arraycopy(uk.data, 0, u, b * m * k, m * k);
            System.arraycopy(vt.data, 0, vh, b * k * n, k * n);
            for (int i = 0; i < k; i++) {
                s[b * k + i] = w.get(i, i);
            }
        }
    }

    /** Eigenvalues ({@code [n]}, ascending) and eigenvectors (columns of {@code [n, n]}) of each symmetric matrix,
     *  whose lower triangle is read. */
    static void eigh(double[] a, int batch, int n, double[] values, double[] vectors, long[] info) {
        for (int b = 0; b < batch && n > 0; b++) {
            double[] sym = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double v = a[(b * n + i) * n + j];
                    sym[i * n + j] = v;
                    sym[j * n + i] = v;
                }
            }
            if (!finite(sym, 0, n * n)) {
                info[b] = NOT_FINITE;
                continue;
            }
            SymmetricQRAlgorithmDecomposition_DDRM eig = new SymmetricQRAlgorithmDecomposition_DDRM(true);
            if (!eig.decompose(DMatrixRMaj.wrap(n, n, sym))) {
                info[b] = NO_CONVERGENCE;
                continue;
            }
            Integer[] order = new Integer[n];
            double[] lambda = new double[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                lambda[i] = eig.getEigenvalue(i).real;
            }
            Arrays.sort(order, (i, j) -> Double.compare(lambda[i], lambda[j]));
            for (int c = 0; c < n; c++) {
                values[b * n + c] = lambda[order[c]];
                double[] v = eig.getEigenVector(order[c]).data;
                for (int i = 0; i < n; i++) {
                    vectors[(b * n + i) * n + c] = v[i];
                }
            }
        }
    }

    private static boolean finite(double[] a, int b, int size) {
        for (int i = b * size; i < (b + 1) * size; i++) {
            if (!Double.isFinite(a[i])) {
                return false;
            }
        }
        return true;
    }
}
