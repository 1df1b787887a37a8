package dev.deneb.decomposition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Properties of PCA on seeded random data of several shapes, plus save/load and the argument checks. */
class PcaPropertiesTest {
    /** Correlated columns on different scales: a random mixing of Gaussians plus an offset. */
    static Tensor data(long seed, int n, int f) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] mix = new double[f][f];
        for (double[] row : mix) {
            for (int j = 0; j < f; j++) {
                row[j] = gauss(r) * (1 + j);
            }
        }
        double[] v = new double[n * f];
        for (int i = 0; i < n; i++) {
            double[] g = new double[f];
            for (int j = 0; j < f; j++) {
                g[j] = gauss(r);
            }
            for (int j = 0; j < f; j++) {
                double s = 5 * j;
                for (int l = 0; l < f; l++) {
                    s += g[l] * mix[l][j];
                }
                v[i * f + j] = s;
            }
        }
        return Tensor.of(v, n, f);
    }

    static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void componentsAreOrthonormalAndInverseIsExactAtFullRank(long seed) {
        int n = 10 + (int) seed * 7;
        int f = 2 + (int) seed;
        Tensor x = data(seed, n, f);
        PCA pca = PCA.fit(x, PCA.Options.defaults());
        assertEquals(f, pca.nComponents());
        double[] c = pca.components().toDoubleArray();
        for (int a = 0; a < f; a++) {
            for (int b = 0; b < f; b++) {
                double dot = 0;
                for (int j = 0; j < f; j++) {
                    dot += c[a * f + j] * c[b * f + j];
                }
                assertEquals(a == b ? 1 : 0, dot, 1e-10, "components " + a + " · " + b);
            }
        }
        assertArrayEquals(x.toDoubleArray(), pca.inverseTransform(pca.transform(x)).toDoubleArray(), 1e-9);
        double[] ratio = pca.explainedVarianceRatio();
        assertEquals(1.0, Arrays.stream(ratio).sum(), 1e-12);
        for (int k = 1; k < f; k++) {
            assertTrue(ratio[k] <= ratio[k - 1], "variance ratios descend: " + Arrays.toString(ratio));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void whitenedOutputHasZeroMeanAndUnitVariance(long seed) {
        Tensor x = data(seed, 50, 4);
        PCA pca = PCA.fit(x, PCA.Options.defaults().components(3).whiten(true));
        double[] z = pca.transform(x).toDoubleArray();
        for (int c = 0; c < 3; c++) {
            double mean = 0;
            for (int i = 0; i < 50; i++) {
                mean += z[i * 3 + c] / 50;
            }
            double ss = 0;
            for (int i = 0; i < 50; i++) {
                ss += (z[i * 3 + c] - mean) * (z[i * 3 + c] - mean);
            }
            assertEquals(0, mean, 1e-10, "component " + c + " mean");
            assertEquals(1, ss / 49, 1e-10, "component " + c + " sample variance");
        }
        // Whitening is undone by the inverse: exact with all components.
        PCA full = PCA.fit(x, PCA.Options.defaults().whiten(true));
        assertArrayEquals(x.toDoubleArray(), full.inverseTransform(full.transform(x)).toDoubleArray(), 1e-9);
    }

    @Test
    void largestEntryOfEachComponentIsPositiveAndF32StaysF32() {
        Tensor x = data(7, 30, 5);
        PCA pca = PCA.fit(x.to(DType.F32), PCA.Options.defaults().components(2));
        double[] c = pca.components().toDoubleArray();
        for (int k = 0; k < 2; k++) {
            double[] row = Arrays.copyOfRange(c, k * 5, k * 5 + 5);
            double max = Arrays.stream(row).map(Math::abs).max().orElseThrow();
            assertTrue(Arrays.stream(row).anyMatch(v -> v == max), Arrays.toString(row));
        }
        assertEquals(DType.F32, pca.transform(x.to(DType.F32)).dtype());
        assertEquals(DType.F64, pca.transform(x).dtype());
    }

    @Test
    void uncentredDecomposesAboutTheOrigin() {
        // Points on a line through the origin: one component carries everything.
        double[] v = new double[20];
        for (int i = 0; i < 10; i++) {
            v[2 * i] = i + 1;
            v[2 * i + 1] = 2 * (i + 1);
        }
        PCA pca = PCA.fit(Tensor.of(v, 10, 2), PCA.Options.defaults().center(false));
        assertArrayEquals(new double[] {0, 0}, pca.mean(), 0);
        assertEquals(1.0, pca.explainedVarianceRatio()[0], 1e-12);
        double s = 1 / Math.sqrt(5);
        assertArrayEquals(new double[] {s, 2 * s}, Arrays.copyOf(pca.components().toDoubleArray(), 2), 1e-12);
    }

    @Test
    void saveAndLoadGiveTheSameTransform(@TempDir Path dir) {
        Tensor x = data(21, 40, 6);
        PCA pca = PCA.fit(x, PCA.Options.defaults().varianceFraction(0.8).whiten(true));
        Path file = dir.resolve("pca.safetensors");
        pca.save(file);
        PCA back = PCA.load(file);
        assertEquals(pca.nComponents(), back.nComponents());
        assertTrue(back.whiten() && back.center());
        assertEquals(40, back.samples());
        assertArrayEquals(pca.transform(x).toDoubleArray(), back.transform(x).toDoubleArray(), 0);
        assertArrayEquals(pca.explainedVarianceRatio(), back.explainedVarianceRatio(), 0);
    }

    @Test
    void badArgumentsAreClearErrors() {
        Tensor x = data(1, 5, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PCA.fit(x, PCA.Options.defaults().components(4)));
        assertTrue(e.getMessage().contains("at most min(N, F) = 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PCA.Options.defaults().varianceFraction(1.0));
        assertThrows(IllegalArgumentException.class, () -> PCA.fit(Tensor.zeros(1, 3), PCA.Options.defaults()));
        e = assertThrows(IllegalArgumentException.class,
                () -> PCA.fit(Tensor.of(new double[] {1, Double.NaN, 2, 3}, 2, 2), PCA.Options.defaults()));
        assertTrue(e.getMessage().contains("row 0, column 1"), e.getMessage());
        PCA pca = PCA.fit(x, PCA.Options.defaults().components(2));
        e = assertThrows(IllegalArgumentException.class, () -> pca.transform(Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().contains("[M, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pca.inverseTransform(Tensor.zeros(2, 3)));
    }
}
