package dev.deneb.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransformsTest {
    @Test
    void standardizerStatisticsOnAKnownTable() {
        Tensor x = Tensor.of(new float[] {1, 10, 5, 2, 20, 5, 3, 30, 5, 4, 40, 5}, 4, 3);
        Standardizer s = Standardizer.fit(x);
        assertArrayEquals(new double[] {2.5, 25, 5}, s.mean(), 1e-12);
        // Population std: sqrt(1.25) and sqrt(125); the constant column gets 1.
        assertArrayEquals(new double[] {Math.sqrt(1.25), Math.sqrt(125), 1}, s.std(), 1e-12);
        Tensor z = s.transform(x);
        assertEquals(DType.F32, z.dtype());
        assertArrayEquals(new float[] {(float) (-1.5 / Math.sqrt(1.25)), (float) (-15 / Math.sqrt(125)), 0},
                z.slice(0, 0, 1).toFloatArray(), 1e-6f);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void standardizedTrainingDataHasZeroMeanUnitStd(long seed) {
        Generator g = new Generator(seed);
        int n = 50 + (int) (seed * 37);
        int f = 1 + (int) (seed % 4);
        Tensor x = g.normal(3 * seed, 0.5 + seed, n, f).add(g.uniform(-7, 7, 1, f));
        Standardizer s = Standardizer.fit(x);
        double[] z = s.transform(x).toDoubleArray();
        for (int j = 0; j < f; j++) {
            double mean = 0;
            double sq = 0;
            for (int r = 0; r < n; r++) {
                mean += z[r * f + j];
            }
            mean /= n;
            for (int r = 0; r < n; r++) {
                sq += (z[r * f + j] - mean) * (z[r * f + j] - mean);
            }
            assertEquals(0, mean, 1e-5);
            assertEquals(1, Math.sqrt(sq / n), 1e-5);
        }
        assertArrayEquals(x.toFloatArray(), s.inverse(s.transform(x)).toFloatArray(), 1e-4f);
        // Restoring from saved statistics gives the same transform.
        Standardizer restored = Standardizer.of(s.mean(), s.std());
        assertArrayEquals(s.transform(x).toFloatArray(), restored.transform(x).toFloatArray());
    }

    @Test
    void standardizerChecksShapes() {
        assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(Tensor.zeros(0, 2)));
        Standardizer s = Standardizer.fit(Tensor.ones(2, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> s.transform(Tensor.zeros(2, 4)));
        assertEquals("Standardizer.transform: expected [N, 3], got shape [2, 4]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Standardizer.of(new double[] {0}, new double[] {0}));
    }

    @Test
    void normalizeImagesPerChannel() {
        Tensor img = Tensor.full(0.5, 2, 3, 2, 2);
        Tensor out = new Normalize(new double[] {0.5, 0.25, 0}, new double[] {1, 0.5, 2}).apply(img);
        assertArrayEquals(new int[] {2, 3, 2, 2}, out.shape());
        assertEquals(0.0, out.get(1, 0, 1, 1), 1e-7);
        assertEquals(0.5, out.get(1, 1, 0, 1), 1e-7);
        assertEquals(0.25, out.get(0, 2, 1, 0), 1e-7);
        Tensor single = Normalize.MNIST.apply(Tensor.ones(1, 28, 28));
        assertEquals((1 - 0.1307) / 0.3081, single.get(0, 5, 5), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Normalize.MNIST.apply(Tensor.ones(28, 28)));
        assertThrows(IllegalArgumentException.class,
                () -> new Normalize(new double[] {0, 0}, new double[] {1, 1}).apply(Tensor.ones(3, 4, 4)));
        Batch b = Normalize.MNIST.apply(new Batch(Tensor.zeros(4, 1, 2, 2), Tensor.zeros(DType.I64, 4)));
        assertEquals(-0.1307 / 0.3081, b.inputs().get(3, 0, 1, 1), 1e-6);
    }

    @Test
    void normalizeFitGivesPerChannelMeanAndPopulationStd() {
        // Two images, two channels of 2x2: channel 0 holds 0..7, channel 1 is constant 3.
        float[] v = new float[16];
        int k = 0;
        for (int i = 0; i < 2; i++) {
            for (int p = 0; p < 4; p++) {
                v[i * 8 + p] = k++;
                v[i * 8 + 4 + p] = 3;
            }
        }
        Normalize n = Normalize.fit(Tensor.of(v, 2, 2, 2, 2));
        assertArrayEquals(new double[] {3.5, 3}, n.mean(), 1e-12);
        assertArrayEquals(new double[] {Math.sqrt(5.25), 1}, n.std(), 1e-12, "constant channel: std 1");
        assertThrows(IllegalArgumentException.class, () -> Normalize.fit(Tensor.zeros(2, 2, 2)));
    }
}
