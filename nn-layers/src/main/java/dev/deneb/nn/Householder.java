package dev.deneb.nn;

/** Orthonormal columns of an m×n matrix (m >= n) by Householder QR, with Q's columns signed so diag(R) >= 0. */
final class Householder {
    private Householder() {}

    static double[] orthonormalColumns(double[] a, int m, int n) {
        double[] r = a.clone();
        double[][] vs = new double[n][];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm += r[i * n + k] * r[i * n + k];
            }
            norm = Math.sqrt(norm);
            double alpha = r[k * n + k] > 0 ? -norm : norm;
            double[] v = new double[m];
            for (int i = k; i < m; i++) {
                v[i] = r[i * n + k];
            }
            v[k] -= alpha;
            double vv = 0;
            for (int i = k; i < m; i++) {
                vv += v[i] * v[i];
            }
            vs[k] = vv == 0 ? null : v;
            if (vv != 0) {
                reflect(r, v, vv, m, n, k);
            }
        }
        // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
        double[] q = new double[m * n];
        for (int j = 0; j < n; j++) {
            q[j * n + j] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            if (vs[k] != null) {
                double vv = 0;
                for (int i = k; i < m; i++) {
                    vv += vs[k][i] * vs[k][i];
                }
                reflect(q, vs[k], vv, m, n, 0);
            }
        }
        for (int j = 0; j < n; j++) {
            if (r[j * n + j] < 0) {
                for (int i = 0; i < m; i++) {
                    q[i * n + j] = -q[i * n + j];
                }
            }
        }
        return q;
    }

    /** x <- (I - 2 v vᵀ / vᵀv) x for columns from {@code fromCol}. */
    private static void reflect(double[] x, double[] v, double vv, int m, int n, int fromCol) {
        for (int j = fromCol; j < n; j++) {
            double dot = 0;
            for (int i = 0; i < m; i++) {
                dot += v[i] * x[i * n + j];
            }
            double f = 2 * dot / vv;
            for (int i = 0; i < m; i++) {
                x[i * n + j] -= f * v[i];
            }
        }
    }
}
