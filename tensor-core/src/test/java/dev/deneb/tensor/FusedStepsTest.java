package dev.deneb.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The definitions of the fused steps ({@link LstmPointwise}, {@link GruPointwise}, {@link RowNorm}) against plain scalar formulas, and
 * their backward steps against central differences of the forward step, in f64. (Each backend's fused kernels are
 * checked against these definitions in {@link BackendConformance}.)
 */
class FusedStepsTest {
    private static final double H = 1e-6;

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static Tensor random(Random r, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return Tensor.of(v, shape);
    }

    /** Σ w·f(x) for fixed weights w: a scalar whose gradient in x is the backward step applied to w. */
    private static double dot(Tensor a, Tensor b) {
        return a.mul(b).sum().item();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void lstmStepFollowsTheGateFormulas(long seed) {
        Random r = new Random(seed);
        int b = 3;
        int h = 4;
        Tensor gates = random(r, b, 4 * h);
        Tensor cPrev = random(r, b, h);
        LstmPointwise.Step s = LstmPointwise.forward(gates, cPrev);
        for (int row = 0; row < b; row++) {
            for (int j = 0; j < h; j++) {
                double i = sigmoid(gates.get(row, j));
                double f = sigmoid(gates.get(row, h + j));
                double g = Math.tanh(gates.get(row, 2 * h + j));
                double o = sigmoid(gates.get(row, 3 * h + j));
                double c = f * cPrev.get(row, j) + i * g;
                assertEquals(c, s.cell().get(row, j), 1e-12);
                assertEquals(Math.tanh(c), s.tanhCell().get(row, j), 1e-12);
                assertEquals(o * Math.tanh(c), s.hidden().get(row, j), 1e-12);
                assertEquals(g, s.activations().get(row, 2 * h + j), 1e-12);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void lstmBackwardIsTheDerivativeOfTheForwardStep(long seed) {
        Random r = new Random(seed);
        int b = 2;
        int h = 3;
        Tensor gates = random(r, b, 4 * h);
        Tensor cPrev = random(r, b, h);
        Tensor wh = random(r, b, h);
        Tensor wc = random(r, b, h);
        LstmPointwise.Step s = LstmPointwise.forward(gates, cPrev);
        LstmPointwise.Grads grads = LstmPointwise.backward(s.activations(), cPrev, s.tanhCell(), wh, wc);
        for (int k = 0; k < gates.numel(); k++) {
            int row = k / (4 * h);
            int col = k % (4 * h);
            double numeric = (loss(bump(gates, row, col, H), cPrev, wh, wc)
                    - loss(bump(gates, row, col, -H), cPrev, wh, wc)) / (2 * H);
            assertEquals(numeric, grads.gates().get(row, col), 1e-7, "d/dgates[" + row + ", " + col + "]");
        }
        for (int k = 0; k < cPrev.numel(); k++) {
            int row = k / h;
            int col = k % h;
            double numeric = (loss(gates, bump(cPrev, row, col, H), wh, wc)
                    - loss(gates, bump(cPrev, row, col, -H), wh, wc)) / (2 * H);
            assertEquals(numeric, grads.cellPrev().get(row, col), 1e-7, "d/dcPrev[" + row + ", " + col + "]");
        }
    }

    private static double loss(Tensor gates, Tensor cPrev, Tensor wh, Tensor wc) {
        LstmPointwise.Step s = LstmPointwise.forward(gates, cPrev);
        return dot(s.hidden(), wh) + dot(s.cell(), wc);
    }

    private static Tensor bump(Tensor t, int row, int col, double by) {
        double[] delta = new double[t.numel()];
        delta[row * t.size(1) + col] = by;
        return t.add(Tensor.of(delta, t.shape()));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void gruStepFollowsTheGateFormulas(long seed) {
        Random r = new Random(seed);
        int b = 3;
        int h = 4;
        Tensor gi = random(r, b, 3 * h);
        Tensor gh = random(r, b, 3 * h);
        Tensor hPrev = random(r, b, h);
        GruPointwise.Step s = GruPointwise.forward(gi, gh, hPrev);
        for (int row = 0; row < b; row++) {
            for (int j = 0; j < h; j++) {
                double rg = sigmoid(gi.get(row, j) + gh.get(row, j));
                double z = sigmoid(gi.get(row, h + j) + gh.get(row, h + j));
                double n = Math.tanh(gi.get(row, 2 * h + j) + rg * gh.get(row, 2 * h + j));
                assertEquals(rg, s.activations().get(row, j), 1e-12);
                assertEquals(z, s.activations().get(row, h + j), 1e-12);
                assertEquals(n, s.activations().get(row, 2 * h + j), 1e-12);
                assertEquals((1 - z) * n + z * hPrev.get(row, j), s.hidden().get(row, j), 1e-12);
            }
        }
    }

    /**
     * The GRU backward step against central differences of the forward step (f64, the reference composition): d(gi)
     * and d(gh) directly; for h, {@code hiddenPrev} is only the part outside {@code gh} (the caller adds
     * {@code d(gh)·W_hh}), so the forward step is differentiated with {@code gh} held fixed.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void gruBackwardIsTheDerivativeOfTheForwardStep(long seed) {
        Random r = new Random(seed);
        int b = 2;
        int h = 3;
        Tensor gi = random(r, b, 3 * h);
        Tensor gh = random(r, b, 3 * h);
        Tensor hPrev = random(r, b, h);
        Tensor w = random(r, b, h);
        GruPointwise.Step s = GruPointwise.forward(gi, gh, hPrev);
        GruPointwise.Grads grads = GruPointwise.backward(s.activations(), gh, hPrev, w);
        for (int k = 0; k < gi.numel(); k++) {
            int row = k / (3 * h);
            int col = k % (3 * h);
            double numeric = (gruLoss(bump(gi, row, col, H), gh, hPrev, w)
                    - gruLoss(bump(gi, row, col, -H), gh, hPrev, w)) / (2 * H);
            assertEquals(numeric, grads.inputGates().get(row, col), 1e-7, "d/dgi[" + row + ", " + col + "]");
            numeric = (gruLoss(gi, bump(gh, row, col, H), hPrev, w)
                    - gruLoss(gi, bump(gh, row, col, -H), hPrev, w)) / (2 * H);
            assertEquals(numeric, grads.hiddenGates().get(row, col), 1e-7, "d/dgh[" + row + ", " + col + "]");
        }
        for (int k = 0; k < hPrev.numel(); k++) {
            int row = k / h;
            int col = k % h;
            double numeric = (gruLoss(gi, gh, bump(hPrev, row, col, H), w)
                    - gruLoss(gi, gh, bump(hPrev, row, col, -H), w)) / (2 * H);
            assertEquals(numeric, grads.hiddenPrev().get(row, col), 1e-7, "d/dhPrev[" + row + ", " + col + "]");
        }
    }

    private static double gruLoss(Tensor gi, Tensor gh, Tensor hPrev, Tensor w) {
        return dot(GruPointwise.forward(gi, gh, hPrev).hidden(), w);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void rowNormFollowsItsFormulaAndItsBackwardIsItsDerivative(long seed) {
        Random r = new Random(seed);
        int rows = 3;
        int cols = 5;
        double eps = 1e-3;
        Tensor x = random(r, rows, cols);
        Tensor w = random(r, rows, cols);
        RowNorm.Result f = RowNorm.forward(x, eps);
        for (int i = 0; i < rows; i++) {
            double mean = 0;
            for (int j = 0; j < cols; j++) {
                mean += x.get(i, j) / cols;
            }
            double var = 0;
            for (int j = 0; j < cols; j++) {
                var += (x.get(i, j) - mean) * (x.get(i, j) - mean) / cols;
            }
            assertEquals(1 / Math.sqrt(var + eps), f.rstd().get(i, 0), 1e-12);
            for (int j = 0; j < cols; j++) {
                assertEquals((x.get(i, j) - mean) / Math.sqrt(var + eps), f.normalized().get(i, j), 1e-12);
            }
        }
        Tensor dx = RowNorm.backward(w, f.normalized(), f.rstd());
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double numeric = (dot(RowNorm.forward(bump(x, i, j, H), eps).normalized(), w)
                        - dot(RowNorm.forward(bump(x, i, j, -H), eps).normalized(), w)) / (2 * H);
                assertEquals(numeric, dx.get(i, j), 1e-7, "d/dx[" + i + ", " + j + "]");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void affineRowNormGivesTheBitsOfTheRowNormThenScaleAndShift(long seed) {
        Random r = new Random(seed);
        Generator g = new Generator(seed);
        int rows = 1 + r.nextInt(300);
        int cols = 1 + r.nextInt(200);
        Tensor x = g.normal(0, 2, rows, cols);
        Tensor w = g.normal(1, 0.5, cols);
        Tensor b = g.normal(0, 1, cols);
        Tensor gy = g.normal(0, 1, rows, cols);
        RowNorm.Result f = RowNorm.forward(x, 1e-5);
        assertArrayEquals(f.normalized().mul(w).add(b).toFloatArray(), RowNorm.affine(x, w, b, 1e-5).toFloatArray());
        RowNorm.AffineGrads a = RowNorm.affineBackward(gy, f.normalized(), f.rstd(), w);
        int[] rowAxis = {0};
        assertArrayEquals(RowNorm.backward(gy.mul(w), f.normalized(), f.rstd()).toFloatArray(),
                a.input().toFloatArray());
        assertArrayEquals(gy.mul(f.normalized()).sum(rowAxis, false).toFloatArray(), a.weight().toFloatArray());
        assertArrayEquals(gy.sum(rowAxis, false).toFloatArray(), a.bias().toFloatArray());
    }
}
