package dev.deneb.nn;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * Weight initialisers, as in {@code torch.nn.init}. Each returns a new f32 tensor drawn from the given generator
 * (the global one by default, so {@code Tensor.manualSeed} makes a model reproducible). Fans follow PyTorch: for a
 * weight {@code [out, in, k...]}, fanIn = in·k…, fanOut = out·k….
 */
public final class Init {
    private Init() {}

    /** How {@link #kaimingUniform}/{@link #kaimingNormal} pick their fan. */
    public enum FanMode { FAN_IN, FAN_OUT }

    public static Tensor zeros(int... shape) {
        return Tensor.zeros(shape);
    }

    public static Tensor ones(int... shape) {
        return Tensor.ones(shape);
    }

    public static Tensor constant(double value, int... shape) {
        return Tensor.full(value, shape);
    }

    public static Tensor uniform(Generator g, double low, double high, int... shape) {
        return g.uniform(low, high, shape);
    }

    public static Tensor normal(Generator g, double mean, double std, int... shape) {
        return g.normal(mean, std, shape);
    }

    /** Glorot: U(-a, a) with a = gain·sqrt(6 / (fanIn + fanOut)). */
    public static Tensor xavierUniform(Generator g, double gain, int... shape) {
        double a = gain * Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
        return g.uniform(-a, a, shape);
    }

    /** Glorot: N(0, std²) with std = gain·sqrt(2 / (fanIn + fanOut)). */
    public static Tensor xavierNormal(Generator g, double gain, int... shape) {
        return g.normal(0, gain * Math.sqrt(2.0 / (fanIn(shape) + fanOut(shape))), shape);
    }

    /** He: U(-b, b) with b = gain·sqrt(3 / fan), gain = sqrt(2 / (1 + a²)) for leaky ReLU slope a. */
    public static Tensor kaimingUniform(Generator g, double a, FanMode mode, int... shape) {
        double bound = leakyReluGain(a) * Math.sqrt(3.0 / fan(mode, shape));
        return g.uniform(-bound, bound, shape);
    }

    /** He: N(0, std²) with std = gain / sqrt(fan). */
    public static Tensor kaimingNormal(Generator g, double a, FanMode mode, int... shape) {
        return g.normal(0, leakyReluGain(a) / Math.sqrt(fan(mode, shape)), shape);
    }

    /**
     * A (semi-)orthogonal matrix, flattened to {@code [shape[0], rest]}: the Q of a QR decomposition of a normal
     * matrix, signs fixed by R's diagonal (as PyTorch), times {@code gain}.
     */
    public static Tensor orthogonal(Generator g, double gain, int... shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("orthogonal: needs a shape of rank >= 2, got " + Arrays.toString(shape));
        }
        int rows = shape[0];
        int cols = 1;
        for (int i = 1; i < shape.length; i++) {
            cols *= shape[i];
        }
        boolean transpose = rows < cols;
        int m = transpose ? cols : rows;
        int n = transpose ? rows : cols;
        double[] a = g.normal(0, 1, m, n).toDoubleArray();
        double[] q = Householder.orthonormalColumns(a, m, n);
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = gain * (transpose ? q[j * n + i] : q[i * n + j]);
            }
        }
        return Tensor.of(out, rows, cols).to(dev.deneb.tensor.DType.F32).reshape(shape);
    }

    /** The gain PyTorch recommends for a nonlinearity: "linear"/"sigmoid" 1, "tanh" 5/3, "relu" sqrt(2). */
    public static double gain(String nonlinearity) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "sigmoid", "identity" -> 1.0;
            case "tanh" -> 5.0 / 3.0;
            case "relu" -> Math.sqrt(2.0);
            case "selu" -> 0.75;
            default -> throw new IllegalArgumentException("gain: unknown nonlinearity '" + nonlinearity
                    + "' (expected linear, sigmoid, tanh, relu or selu)");
        };
    }

    public static int fanIn(int... shape) {
        checkRank("fanIn", shape);
        return shape.length == 1 ? shape[0] : shape[1] * receptive(shape);
    }

    public static int fanOut(int... shape) {
        checkRank("fanOut", shape);
        return shape[0] * receptive(shape);
    }

    private static int fan(FanMode mode, int[] shape) {
        return mode == FanMode.FAN_IN ? fanIn(shape) : fanOut(shape);
    }

    private static int receptive(int[] shape) {
        int r = 1;
        for (int i = 2; i < shape.length; i++) {
            r *= shape[i];
        }
        return r;
    }

    private static double leakyReluGain(double a) {
        return Math.sqrt(2.0 / (1 + a * a));
    }

    private static void checkRank(String op, int[] shape) {
        if (shape.length < 1) {
            throw new IllegalArgumentException(op + ": needs a shape of rank >= 1, got " + Arrays.toString(shape));
        }
    }
}
