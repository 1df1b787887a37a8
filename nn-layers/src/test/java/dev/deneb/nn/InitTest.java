package dev.deneb.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Default initialisation as in PyTorch, and the {@link Init} functions. */
class InitTest {
    /** Checks all values lie in [-bound, bound] and look uniform (mean ~0, variance ~bound²/3, extremes near). */
    private static void assertUniform(Tensor t, double bound, String what) {
        double[] v = t.toDoubleArray();
        double sum = 0;
        double sq = 0;
        double max = 0;
        for (double x : v) {
            assertTrue(Math.abs(x) <= bound, what + ": " + x + " outside ±" + bound);
            sum += x;
            sq += x * x;
            max = Math.max(max, Math.abs(x));
        }
        double n = v.length;
        double sd = bound / Math.sqrt(3 * n);
        assertEquals(0, sum / n, 5 * sd, what + " mean");
        assertEquals(bound * bound / 3, sq / n, 0.15 * bound * bound / 3, what + " variance");
        assertTrue(max > 0.95 * bound, what + ": largest |value| " + max + " should approach " + bound);
    }

    private static void assertNormal(Tensor t, double std, String what) {
        double[] v = t.toDoubleArray();
        double sum = 0;
        double sq = 0;
        for (double x : v) {
            sum += x;
            sq += x * x;
        }
        double n = v.length;
        assertEquals(0, sum / n, 5 * std / Math.sqrt(n), what + " mean");
        assertEquals(std, Math.sqrt(sq / n), 0.05 * std, what + " std");
    }

    @Test
    void linearDefaultsMatchPyTorch() {
        Linear l = new Linear(100, 10, Linear.Options.defaults().generator(new Generator(1)));
        assertUniform(l.weight.detach(), 1 / Math.sqrt(100), "Linear(100, 10).weight");
        double[] b = l.bias.toDoubleArray();
        for (double x : b) {
            assertTrue(Math.abs(x) <= 0.1, "bias within ±1/sqrt(in)");
        }
        assertUniform(new Linear(400, 300, Linear.Options.defaults().generator(new Generator(2))).weight.detach(),
                1 / Math.sqrt(400), "Linear(400, 300)");
        assertEquals(DType.F32, l.weight.dtype());
    }

    @Test
    void convolutionDefaultsMatchPyTorch() {
        Conv2d c = new Conv2d(6, 32, 5, Conv2d.Options.defaults().generator(new Generator(3)));
        assertUniform(c.weight.detach(), 1 / Math.sqrt(6 * 25), "Conv2d(6, 32, 5).weight");
        Conv2d grouped = new Conv2d(8, 64, 3, Conv2d.Options.defaults().groups(4).generator(new Generator(4)));
        assertUniform(grouped.weight.detach(), 1 / Math.sqrt(2 * 9), "grouped Conv2d: fan-in = C_in/groups·k²");
        Conv1d c1 = new Conv1d(10, 40, 3, Conv1d.Options.defaults().generator(new Generator(5)));
        assertUniform(c1.weight.detach(), 1 / Math.sqrt(30), "Conv1d(10, 40, 3).weight");
        // transposed: weight [C_in, C_out / groups, k...], fan-in = C_out/groups·k² as PyTorch computes it
        ConvTranspose2d t = new ConvTranspose2d(64, 12, 5, ConvTranspose2d.Options.defaults().groups(2)
                .generator(new Generator(6)));
        assertUniform(t.weight.detach(), 1 / Math.sqrt(6 * 25), "ConvTranspose2d(64, 12, 5, groups=2).weight");
        ConvTranspose1d t1 = new ConvTranspose1d(50, 10, 3, ConvTranspose1d.Options.defaults()
                .generator(new Generator(7)));
        assertUniform(t1.weight.detach(), 1 / Math.sqrt(30), "ConvTranspose1d(50, 10, 3).weight");
    }

    @Test
    void embeddingIsStandardNormalAndNormsStartAtIdentity() {
        assertNormal(new Embedding(1000, 16, Embedding.Options.defaults().generator(new Generator(6))).weight.detach(),
                1.0, "Embedding(1000, 16)");
        BatchNorm2d bn = new BatchNorm2d(5);
        assertArrayEquals(Tensor.ones(5).toFloatArray(), bn.weight.toFloatArray());
        assertArrayEquals(new float[5], bn.bias.toFloatArray());
        assertArrayEquals(new float[5], bn.stateDict().get("running_mean").toFloatArray());
        assertArrayEquals(Tensor.ones(5).toFloatArray(), bn.stateDict().get("running_var").toFloatArray());
        assertEquals(0, bn.stateDict().get("num_batches_tracked").item());
        LayerNorm ln = new LayerNorm(3, 4);
        assertArrayEquals(Tensor.ones(3, 4).toFloatArray(), ln.weight.toFloatArray());
        assertArrayEquals(new float[12], ln.bias.toFloatArray());
    }

    @Test
    void sameSeedSameWeights() {
        Linear.Options seeded = Linear.Options.defaults().generator(new Generator(42));
        Linear.Options reseeded = Linear.Options.defaults().generator(new Generator(42));
        assertArrayEquals(new Linear(7, 5, seeded).weight.toFloatArray(),
                new Linear(7, 5, reseeded).weight.toFloatArray());
    }

    @Test
    void fansFollowPyTorch() {
        assertEquals(32 * 9, Init.fanIn(64, 32, 3, 3));
        assertEquals(64 * 9, Init.fanOut(64, 32, 3, 3));
        assertEquals(20, Init.fanIn(10, 20));
        assertEquals(10, Init.fanOut(10, 20));
    }

    @Test
    void xavierBounds() {
        Generator g = new Generator(8);
        assertUniform(Init.xavierUniform(g, 1.0, 200, 300), Math.sqrt(6.0 / 500), "xavierUniform");
        assertUniform(Init.xavierUniform(g, Init.gain("tanh"), 64, 32, 3, 3), 5.0 / 3 * Math.sqrt(6.0 / (96 * 9)),
                "xavierUniform conv with tanh gain");
        assertNormal(Init.xavierNormal(g, 2.0, 300, 200), 2.0 * Math.sqrt(2.0 / 500), "xavierNormal");
    }

    @Test
    void kaimingBounds() {
        Generator g = new Generator(9);
        assertUniform(Init.kaimingUniform(g, 0, Init.FanMode.FAN_IN, 64, 32, 3, 3), Math.sqrt(2) * Math.sqrt(3.0 / 288),
                "kaimingUniform fan_in relu");
        assertUniform(Init.kaimingUniform(g, Math.sqrt(5), Init.FanMode.FAN_IN, 50, 80),
                Math.sqrt(2.0 / 6) * Math.sqrt(3.0 / 80), "kaimingUniform a=sqrt(5) (PyTorch's Linear default)");
        assertNormal(Init.kaimingNormal(g, 0, Init.FanMode.FAN_OUT, 64, 32, 3, 3), Math.sqrt(2.0 / (64 * 9)),
                "kaimingNormal fan_out");
    }

    /** Max |AᵀA − I| (columns orthonormal) or |AAᵀ − I| (rows). */
    private static double orthoError(Tensor a, boolean rows) {
        Tensor gram = rows ? a.matmul(a.t()) : a.t().matmul(a);
        return gram.sub(Tensor.eye(gram.size(0))).abs().max().item();
    }

    @Test
    void orthogonalGivesOrthonormalRowsOrColumns() {
        Generator g = new Generator(10);
        Tensor square = Init.orthogonal(g, 1.0, 6, 6);
        assertTrue(orthoError(square, false) < 1e-5, "QᵀQ = I");
        assertTrue(orthoError(square, true) < 1e-5, "QQᵀ = I");
        assertTrue(orthoError(Init.orthogonal(g, 1.0, 9, 4), false) < 1e-5, "tall: orthonormal columns");
        assertTrue(orthoError(Init.orthogonal(g, 1.0, 3, 8), true) < 1e-5, "wide: orthonormal rows");
        Tensor conv = Init.orthogonal(g, 1.0, 4, 2, 3);
        assertArrayEquals(new int[] {4, 2, 3}, conv.shape());
        assertTrue(orthoError(conv.reshape(4, 6), true) < 1e-5, "flattened to [rows, rest]");
        Tensor scaled = Init.orthogonal(g, 2.0, 5, 5);
        assertTrue(scaled.t().matmul(scaled).sub(Tensor.eye(5).mul(4)).abs().max().item() < 1e-4, "gain² · I");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.orthogonal(g, 1, 5));
        assertTrue(e.getMessage().contains("orthogonal") && e.getMessage().contains("[5]"), e.getMessage());
    }

    @Test
    void gainsAndUnknownNonlinearity() {
        assertEquals(Math.sqrt(2), Init.gain("relu"));
        assertEquals(5.0 / 3, Init.gain("tanh"));
        assertEquals(1.0, Init.gain("sigmoid"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.gain("swish"));
        assertTrue(e.getMessage().contains("'swish'"), e.getMessage());
    }
}
