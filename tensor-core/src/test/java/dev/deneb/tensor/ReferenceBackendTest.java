package dev.deneb.tensor;

import static dev.deneb.tensor.testing.Cases.assertBitwise;
import static dev.deneb.tensor.testing.Cases.assertClose;
import static dev.deneb.tensor.testing.Cases.assertExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.testing.Cases;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scalar reference checked on its own, against hand-computed values and independent formulas: every other
 * backend is compared with it, so it has to be right first.
 */
class ReferenceBackendTest {
    static final Backend REF = Backends.reference();

    static Tensor f64(double[] v, int... shape) {
        return Cases.upload(REF, v, shape.length == 0 ? new int[] {v.length} : shape);
    }

    static Tensor f32(float[] v, int... shape) {
        return Cases.upload(REF, v, shape.length == 0 ? new int[] {v.length} : shape);
    }

    static Tensor i64(long[] v, int... shape) {
        return Cases.upload(REF, v, shape.length == 0 ? new int[] {v.length} : shape);
    }

    static Tensor i32(int[] v, int... shape) {
        return Cases.upload(REF, v, shape.length == 0 ? new int[] {v.length} : shape);
    }

    static Tensor bools(boolean[] v, int... shape) {
        return Cases.upload(REF, v, shape.length == 0 ? new int[] {v.length} : shape);
    }

    static Stream<Long> seeds() {
        return IntStream.range(0, 25).mapToObj(i -> 7000L + i);
    }

    static final double NAN = Double.NaN;
    static final double INF = Double.POSITIVE_INFINITY;

    // ---- unary ----

    @Test
    void unaryOpsMatchTheirFormulasOnSpecialValues() {
        double[] x = {-2.5, -1, -0.0, 0.0, 0.5, 3, NAN, INF, -INF, 800, -800};
        Tensor t = f64(x);
        assertBitwise(f64(new double[] {2.5, 1, 0.0, -0.0, -0.5, -3, NAN, -INF, INF, -800, 800}), t.neg(), "neg");
        assertBitwise(f64(new double[] {2.5, 1, 0.0, 0.0, 0.5, 3, NAN, INF, INF, 800, 800}), t.abs(), "abs");
        assertBitwise(f64(new double[] {-1, -1, -0.0, 0.0, 1, 1, NAN, 1, -1, 1, -1}), t.sign(), "sign");
        // relu keeps NaN and maps -0.0 to +0.0.
        assertBitwise(f64(new double[] {0, 0, 0.0, 0.0, 0.5, 3, NAN, INF, 0, 800, 0}), t.relu(), "relu");
        // sigmoid saturates without NaN at ±800; softplus is linear above 20 and tiny far below 0.
        assertClose(f64(new double[] {0.07585818002124355, 0.2689414213699951, 0.5, 0.5, 0.6224593312018546,
                0.9525741268224334, NAN, 1, 0, 1, 0}), t.sigmoid(), 1e-15, 0, "sigmoid");
        assertClose(f64(new double[] {0.07888973429254963, 0.31326168751822286, 0.6931471805599453,
                0.6931471805599453, 0.9740769841801067, 3.048587351573742, NAN, INF, 0, 800, 0}), t.softplus(),
                1e-14, 1e-300, "softplus");
        // gelu(x) = x·Φ(x), values from Python's math.erf; gelu(-inf) is -inf·0 = NaN, as PyTorch's formula gives.
        assertClose(f64(new double[] {-0.015524163314440398, -0.15865525393145707, -0.0, 0.0, 0.34573123063700656,
                2.99595030590511, NAN, INF, NAN, 800, -0.0}), t.gelu(), 1e-12, 1e-300, "gelu");
        assertClose(f64(new double[] {-0.18964545005310887, -0.2689414213699951, -0.0, 0.0, 0.3112296656009273,
                2.8577223804673, NAN, INF, NAN, 800, -0.0}), t.silu(), 1e-14, 1e-300, "silu");
        assertClose(f64(new double[] {-0.4, -1, -INF, INF, 2, 1.0 / 3, NAN, 0, -0.0, 1.0 / 800, -1.0 / 800}),
                t.reciprocal(), 1e-15, 0, "reciprocal");
        Tensor pos = f64(new double[] {0, 1e-300, 0.25, 1, 4, INF, -1, NAN});
        assertClose(f64(new double[] {0, 1e-150, 0.5, 1, 2, INF, NAN, NAN}), pos.sqrt(), 1e-15, 0, "sqrt");
        assertClose(f64(new double[] {INF, 1e150, 2, 1, 0.5, 0, NAN, NAN}), pos.rsqrt(), 1e-15, 0, "rsqrt");
        assertClose(f64(new double[] {-INF, Math.log(1e-300), Math.log(0.25), 0, Math.log(4), INF, NAN, NAN}),
                pos.log(), 1e-15, 0, "log");
        // log1p keeps precision near 0 where log(1 + x) would lose it.
        assertClose(f64(new double[] {0, 1e-300, Math.log1p(0.25), Math.log(2), Math.log(5), INF, -INF, NAN}),
                pos.log1p(), 1e-15, 0, "log1p");
        assertClose(f64(new double[] {1, 1, Math.exp(0.25), Math.E, Math.exp(4), INF, 1 / Math.E, NAN}), pos.exp(),
                1e-15, 0, "exp");
        assertClose(f64(new double[] {0, 1e-300, Math.tanh(0.25), Math.tanh(1), Math.tanh(4), 1, -Math.tanh(1),
                NAN}), pos.tanh(), 1e-15, 0, "tanh");
    }

    @Test
    void gelu32IsCloseToTheErfDefinition() {
        float[] x = new float[101];
        double[] expected = new double[101];
        for (int i = 0; i < x.length; i++) {
            x[i] = -5 + i * 0.1f;
            expected[i] = x[i] * 0.5 * (1 + erfBySimpson(x[i] / Math.sqrt(2)));
        }
        assertClose(f64(expected).to(DType.F32), f32(x).gelu(), 1e-6, 1e-7, "gelu f32");
    }

    /** erf by Simpson's rule on 2/sqrt(pi)·exp(-t²): an independent check of Erf. */
    static double erfBySimpson(double z) {
        int n = 2000;
        double h = z / n;
        double s = 0;
        for (int i = 0; i <= n; i++) {
            double w = i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2);
            s += w * Math.exp(-(i * h) * (i * h));
        }
        return 2 / Math.sqrt(Math.PI) * s * h / 3;
    }

    @Test
    void integerUnaryOpsKeepTheirDtypeOrGiveF32() {
        Tensor t = i32(new int[] {-3, 0, 4});
        assertExact(i32(new int[] {3, 0, -4}), t.neg(), "neg i32");
        assertExact(i32(new int[] {3, 0, 4}), t.abs(), "abs i32");
        assertExact(i32(new int[] {-1, 0, 1}), t.sign(), "sign i32");
        assertExact(i32(new int[] {0, 0, 4}), t.relu(), "relu i32");
        assertClose(f32(new float[] {(float) Math.exp(-3), 1, (float) Math.exp(4)}), t.exp(), 1e-7, 0, "exp i32 -> f32");
        assertExact(i64(new long[] {-1, 0}), bools(new boolean[] {true, false}).neg(), "neg bool -> i64");
    }

    // ---- binary and promotion ----

    @Test
    void typePromotionTable() {
        DType[] order = {DType.BOOL, DType.I32, DType.I64, DType.F32, DType.F64};
        for (int i = 0; i < order.length; i++) {
            for (int j = 0; j < order.length; j++) {
                Tensor a = Cases.fromDoubles(REF, order[i], new int[] {2}, new double[] {1, 0});
                Tensor b = Cases.fromDoubles(REF, order[j], new int[] {2}, new double[] {1, 1});
                DType wider = order[Math.max(i, j)];
                DType arith = wider == DType.BOOL ? DType.I64 : wider;
                String pair = order[i] + " with " + order[j];
                assertEquals(arith, a.add(b).dtype(), "add " + pair);
                assertEquals(arith, a.mul(b).dtype(), "mul " + pair);
                assertEquals(wider.toFloating(), a.div(b).dtype(), "div " + pair);
                assertEquals(DType.BOOL, a.lt(b).dtype(), "lt " + pair);
                assertEquals(wider, a.maximum(b).dtype(), "maximum " + pair);
                assertEquals(wider, Tensor.where(a.ne(0), a, b).dtype(), "where " + pair);
                assertArrayEquals(new double[] {2, 1}, a.add(b).toDoubleArray(), pair);
            }
        }
        assertEquals(DType.F32, i32(new int[] {7}).div(i32(new int[] {2})).dtype(), "int/int");
        assertEquals(3.5, i32(new int[] {7}).div(i32(new int[] {2})).item(), "7/2");
        assertEquals(DType.I32, i32(new int[] {7}).add(2.0).dtype(), "i32 + whole scalar");
        assertEquals(DType.F32, i32(new int[] {7}).add(2.5).dtype(), "i32 + fractional scalar");
        assertEquals(9.5, i32(new int[] {7}).add(2.5).item(), "i32 + 2.5");
        assertEquals(DType.F64, f64(new double[] {1}).add(2.5).dtype(), "f64 + scalar");
        assertEquals(DType.F32, f32(new float[] {1}).mul(1e300).dtype(), "f32 * huge scalar");
        assertEquals(INF, f32(new float[] {1}).mul(1e300).item(), "f32 * 1e300 overflows in f32");
    }

    @Test
    void binaryOpsOnSpecialValues() {
        Tensor a = f64(new double[] {1, NAN, -0.0, 0.0, INF, -2, 3});
        Tensor b = f64(new double[] {NAN, 1, 0.0, -0.0, INF, 0, 3});
        assertBitwise(f64(new double[] {NAN, NAN, 0.0, 0.0, INF, 0, 3}), a.maximum(b), "maximum (NaN wins)");
        assertBitwise(f64(new double[] {NAN, NAN, -0.0, -0.0, INF, -2, 3}), a.minimum(b), "minimum");
        assertBitwise(f64(new double[] {NAN, NAN, NAN, NAN, NAN, -INF, 1}), a.div(b), "div");
        assertExact(bools(new boolean[] {false, false, true, true, true, false, true}), a.eq(b), "eq");
        assertExact(bools(new boolean[] {true, true, false, false, false, true, false}), a.ne(b), "ne (NaN != NaN)");
        assertExact(bools(new boolean[] {false, false, false, false, false, true, false}), a.lt(b), "lt");
        assertExact(bools(new boolean[] {false, false, true, true, true, true, true}), a.le(b), "le");
        assertExact(i64(new long[] {1, 8, 81, 0}), i64(new long[] {5, 2, 3, 0}).pow(i64(new long[] {0, 3, 4, 2})),
                "integer pow");
        // Integer overflow wraps, as in Java and PyTorch.
        assertExact(i32(new int[] {Integer.MIN_VALUE}), i32(new int[] {Integer.MAX_VALUE}).add(1.0), "i32 wraps");
    }

    @Test
    void powOnSpecialValues() {
        Tensor a = f64(new double[] {2, -8, 0, -0.0, NAN, 4, -2, INF});
        Tensor b = f64(new double[] {3, 1.0 / 3, -1, -1, 0, 0.5, 2, -1});
        assertBitwise(f64(new double[] {8, NAN, INF, -INF, 1, 2, 4, 0}), a.pow(b), "pow");
    }

    /** C99, NumPy and PyTorch (and CUDA's pow) give pow(1, y) = 1 and pow(-1, ±inf) = 1 even for NaN y; Java's
     *  Math.pow gives NaN. The reference should follow the former, or a CUDA backend cannot conform. */
    @Test
    void powOfOneIsOneEvenForNaNExponents() {
        Tensor a = f64(new double[] {1, 1, -1, -1});
        Tensor b = f64(new double[] {NAN, INF, INF, -INF});
        assertBitwise(f64(new double[] {1, 1, 1, 1}), a.pow(b), "pow(1, NaN), pow(1, inf), pow(-1, ±inf)");
    }

    @Test
    void whereClampAndMaskedFill() {
        Tensor cond = bools(new boolean[] {true, false, true}, 3, 1);
        Tensor a = f64(new double[] {1, 2}, 1, 2);
        Tensor b = f64(new double[] {-1});
        assertExact(f64(new double[] {1, 2, -1, -1, 1, 2}, 3, 2), Tensor.where(cond, a, b), "where broadcast");
        Tensor x = f64(new double[] {-3, -0.5, 0.5, 3, NAN, -INF});
        assertBitwise(f64(new double[] {-1, -0.5, 0.5, 1, NAN, -1}), x.clamp(-1, 1), "clamp keeps NaN");
        assertBitwise(f64(new double[] {2, 2, 2, 2, NAN, 2}), x.clamp(2, 2), "clamp(2, 2)");
        Tensor m = f64(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor mask = bools(new boolean[] {true, false, true});
        assertExact(f64(new double[] {-INF, 2, -INF, -INF, 5, -INF}, 2, 3), m.maskedFill(mask, -INF),
                "maskedFill row mask");
    }

    // ---- reductions ----

    @Test
    void sumMeanProdWithKeepdimAndEmptyAxes() {
        Tensor x = f64(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertExact(f64(new double[] {5, 7, 9}), x.sum(0), "sum(0)");
        assertExact(f64(new double[] {6, 15}, 2, 1), x.sum(new int[] {-1}, true), "sum(-1, keepdim)");
        assertExact(f64(new double[] {21}, 1, 1), x.sum(new int[] {0, 1}, true), "sum all keepdim");
        assertEquals(0, x.sum().dim(), "sum() is 0-D");
        assertExact(f64(new double[] {2, 5}), x.mean(1), "mean(1)");
        assertExact(f64(new double[] {4, 10, 18}), x.prod(new int[] {0}, false), "prod(0)");
        Tensor empty = Tensor.zeros(DType.F64, 0, 3).to(REF);
        assertExact(f64(new double[] {0, 0, 0}), empty.sum(0), "sum over empty axis is 0");
        assertExact(f64(new double[] {1, 1, 1}), empty.prod(new int[] {0}, false), "prod over empty axis is 1");
        assertTrue(Double.isNaN(empty.mean().item()), "mean of nothing is NaN");
        Tensor ints = i32(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE});
        assertExact(i64(new long[] {2L * Integer.MAX_VALUE}).reshape(), ints.sum(), "i32 sums accumulate in i64");
        assertExact(i64(new long[] {2}).reshape(), bools(new boolean[] {true, false, true}).sum(), "bool sum");
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void varAndStdMatchTheTwoPassFormula(long seed) {
        Random r = new Random(seed);
        int rows = 1 + r.nextInt(5);
        int cols = 1 + r.nextInt(9);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1e3 + r.nextGaussian(); // a large mean: the naive sum-of-squares formula would lose digits
        }
        for (int correction = 0; correction <= 1; correction++) {
            double[] expected = new double[rows];
            for (int i = 0; i < rows; i++) {
                double mean = 0;
                for (int j = 0; j < cols; j++) {
                    mean += v[i * cols + j];
                }
                mean /= cols;
                double ss = 0;
                for (int j = 0; j < cols; j++) {
                    ss += (v[i * cols + j] - mean) * (v[i * cols + j] - mean);
                }
                expected[i] = ss / (cols - correction);
            }
            Tensor x = f64(v, rows, cols);
            assertClose(f64(expected), x.var(new int[] {1}, correction, false), 1e-9, 1e-12, "var c=" + correction);
            double[] sd = Arrays.stream(expected).map(Math::sqrt).toArray();
            assertClose(f64(sd), x.std(new int[] {1}, correction, false), 1e-9, 1e-12, "std c=" + correction);
        }
    }

    @Test
    void logsumexpOfHugeAndInfiniteValues() {
        Tensor x = f64(new double[] {1000, 1000, -INF, -INF, 0, -1000, INF, 1}, 4, 2);
        assertClose(f64(new double[] {1000 + Math.log(2), -INF, 0, INF}), x.logsumexp(new int[] {1}, false), 1e-15,
                0, "logsumexp rows");
        Tensor f = f32(new float[] {88, 88, 88}); // exp(88) * 3 overflows f32
        assertClose(f32(new float[] {(float) (88 + Math.log(3))}).reshape(), f.logsumexp(new int[0], false), 1e-7, 0,
                "logsumexp f32 without overflow");
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void softmaxRowsSumToOneAndMatchTheFormula(long seed) {
        Random r = new Random(seed);
        int rows = 1 + r.nextInt(4);
        int cols = 1 + r.nextInt(6);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = 30 * r.nextGaussian();
        }
        Tensor x = f64(v, rows, cols);
        Tensor s = x.softmax(1);
        assertClose(Tensor.ones(DType.F64, rows).to(REF), s.sum(1), 1e-14, 0, "rows sum to 1");
        // Column-wise softmax of the transpose is the transpose of the row-wise softmax.
        assertClose(s, x.t().softmax(0).t().contiguous(), 1e-15, 0, "softmax over axis 0 of the transpose");
        double[] expected = new double[v.length];
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, v[i * cols + j]);
            }
            double z = 0;
            for (int j = 0; j < cols; j++) {
                z += Math.exp(v[i * cols + j] - max);
            }
            for (int j = 0; j < cols; j++) {
                expected[i * cols + j] = v[i * cols + j] - max - Math.log(z);
            }
        }
        assertClose(f64(expected, rows, cols), x.logSoftmax(1), 1e-12, 1e-12, "logSoftmax");
        assertClose(x.logSoftmax(1).exp(), s, 1e-12, 1e-300, "exp(logSoftmax) = softmax");
    }

    @Test
    void softmaxOfLargeLogitsIsFinite() {
        Tensor s = f32(new float[] {1000, 0, -1000}).softmax(0);
        assertExact(f32(new float[] {1, 0, 0}), s, "softmax([1000, 0, -1000])");
        Tensor ls = f32(new float[] {1000, 0}).logSoftmax(0);
        assertExact(f32(new float[] {0, -1000}), ls, "logSoftmax([1000, 0])");
    }

    @Test
    void argmaxTiesPickTheFirstIndexAndNaNPropagates() {
        Tensor x = f64(new double[] {1, 3, 3, 2});
        assertEquals(1, x.argmax().item(), "argmax tie");
        assertEquals(0, f64(new double[] {1, 3, 1, 2}).argmin().item(), "argmin tie");
        Tensor n = f64(new double[] {1, NAN, 5, NAN});
        assertTrue(Double.isNaN(n.max().item()), "max with NaN");
        assertTrue(Double.isNaN(n.min().item()), "min with NaN");
        ValuesIndices vi = n.max(0, false);
        assertTrue(Double.isNaN(vi.values().item()), "max(axis) value with NaN");
        assertEquals(1, vi.indices().item(), "max(axis) index of the first NaN");
        assertEquals(1, n.min(0, false).indices().item(), "min(axis) index of the first NaN");
        Tensor m = f64(new double[] {4, 9, 9, 1, 7, 7}, 2, 3);
        ValuesIndices byRow = m.max(1, true);
        assertExact(f64(new double[] {9, 7}, 2, 1), byRow.values(), "row max");
        assertExact(i64(new long[] {1, 1}, 2, 1), byRow.indices(), "row argmax (first of ties)");
        assertExact(i64(new long[] {1, 1, 1}), m.argmin(0, false), "column argmin");
        assertExact(i64(new long[] {0, 0}), f64(new double[] {5, 5, 5, 5}, 2, 2).argmin(1, false), "all tied");
        assertExact(i64(new long[] {1}).reshape(), i32(new int[] {2, 5, 5}).argmax(), "int argmax");
    }

    @Test
    void maxAndMinOverSignedZeros() {
        // amax follows Math.max: +0.0 is larger than -0.0, whatever the order.
        for (double[] v : new double[][] {{-0.0, 0.0}, {0.0, -0.0}}) {
            Tensor t = f64(v);
            assertBitwise(f64(new double[] {0.0}).reshape(), t.max(), "max of " + Arrays.toString(v));
            assertBitwise(f64(new double[] {-0.0}).reshape(), t.min(), "min of " + Arrays.toString(v));
            ValuesIndices vi = t.max(0, false);
            assertEquals(vi.values().item(), v[(int) vi.indices().item()], "values and indices agree");
        }
    }

    @Test
    void normsByDefinition() {
        Tensor x = f64(new double[] {3, -4, 0, 1, -1, 1}, 2, 3);
        assertClose(f64(new double[] {5, Math.sqrt(3)}), x.norm(2, new int[] {1}, false), 1e-15, 0, "2-norm");
        assertExact(f64(new double[] {7, 3}), x.norm(1, new int[] {1}, false), "1-norm");
        assertExact(f64(new double[] {4, 1}), x.norm(INF, new int[] {1}, false), "inf-norm");
        assertClose(f64(new double[] {Math.cbrt(91), Math.cbrt(3)}), x.norm(3, new int[] {1}, false), 1e-15, 0,
                "3-norm");
        assertClose(f64(new double[] {Math.sqrt(28)}).reshape(), x.norm(), 1e-15, 0, "norm()");
    }

    // ---- indexing (examples from the PyTorch documentation) ----

    @Test
    void gatherExampleFromTorchDocs() {
        Tensor t = i64(new long[] {1, 2, 3, 4}, 2, 2);
        Tensor index = i64(new long[] {0, 0, 1, 0}, 2, 2);
        assertExact(i64(new long[] {1, 1, 4, 3}, 2, 2), t.gather(1, index), "torch.gather(t, 1, [[0,0],[1,0]])");
        assertExact(i64(new long[] {3, 2, 1, 4}, 2, 2), t.gather(0, i64(new long[] {1, 0, 0, 1}, 2, 2)), "gather 0");
        // An index smaller than the input along the other axis.
        assertExact(i64(new long[] {2, 1}, 1, 2), t.gather(1, i64(new long[] {1, 0}, 1, 2)), "gather small index");
    }

    @Test
    void scatterExamplesFromTorchDocs() {
        Tensor src = i64(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 2, 5);
        Tensor index = i64(new long[] {0, 1, 2, 0}, 1, 4);
        Tensor zeros = Tensor.zeros(DType.I64, 3, 5).to(REF);
        assertExact(i64(new long[] {1, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0}, 3, 5),
                zeros.scatter(0, index, src), "scatter along 0");
        Tensor index1 = i64(new long[] {0, 1, 2, 0, 3, 4}, 2, 3);
        assertExact(i64(new long[] {1, 2, 3, 0, 0, 6, 0, 0, 7, 8, 0, 0, 0, 0, 0}, 3, 5),
                zeros.scatter(1, index1, src), "scatter along 1");
        Tensor ones = Tensor.ones(DType.I64, 2, 5).to(REF);
        Tensor addIndex = i64(new long[] {0, 1, 2, 0, 0, 0, 1, 2, 2, 2}, 2, 5);
        assertExact(i64(new long[] {2, 0, 0, 1, 1, 0, 2, 0, 0, 0, 0, 0, 2, 1, 1}, 3, 5),
                zeros.scatterAdd(0, addIndex, ones), "scatter_add along 0");
        assertExact(Tensor.zeros(DType.I64, 3, 5).to(REF), zeros, "scatter leaves its input alone");
    }

    @Test
    void indexSelectOneHotEmbedding() {
        Tensor x = f64(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4);
        assertExact(f64(new double[] {0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3}, 3, 4),
                x.indexSelect(0, i64(new long[] {0, 2, 0})), "indexSelect rows");
        assertExact(f64(new double[] {3, 1, 7, 5, 11, 9}, 3, 2), x.indexSelect(1, i32(new int[] {3, 1})),
                "indexSelect columns");
        assertExact(f64(new double[] {}, 3, 0), x.indexSelect(1, i64(new long[] {})), "indexSelect nothing");
        assertExact(i64(new long[] {1, 0, 0, 0, 0, 1, 0, 1, 0}, 3, 3), i32(new int[] {0, 2, 1}).oneHot(3), "oneHot");
        Tensor w = f64(new double[] {0, 0.5, 1, 1.5, 2, 2.5}, 3, 2);
        Tensor e = Tensor.embedding(w, i64(new long[] {2, 0, 1, 2}, 2, 2));
        assertExact(f64(new double[] {2, 2.5, 0, 0.5, 1, 1.5, 2, 2.5}, 2, 2, 2), e, "embedding");
    }

    @Test
    void castsTruncateTowardZeroAndRoundToNearest() {
        Tensor x = f64(new double[] {-2.7, -0.5, 0.5, 2.7, 0.1});
        assertExact(i32(new int[] {-2, 0, 0, 2, 0}), x.to(DType.I32), "f64 -> i32 truncates");
        assertExact(bools(new boolean[] {true, true, true, true, true}), x.to(DType.BOOL), "nonzero -> true");
        assertEquals((double) 0.1f, x.to(DType.F32).toDoubleArray()[4], "f64 -> f32 rounds to nearest");
        assertExact(i64(new long[] {1L << 40}), f64(new double[] {Math.pow(2, 40)}).to(DType.I64), "big f64 -> i64");
        long big = (1L << 53) + 1;
        assertEquals(big, i64(new long[] {big}).to(DType.I64).toLongArray()[0], "i64 stays exact");
    }

    // ---- matmul against EJML ----

    @ParameterizedTest
    @MethodSource("seeds")
    void matmulMatchesEjmlOnBroadcastBatchesAndTransposedOperands(long seed) {
        Random r = new Random(seed);
        int m = 1 + r.nextInt(6);
        int k = r.nextInt(7);
        int n = 1 + r.nextInt(6);
        int rankA = 1 + r.nextInt(3);
        int rankB = 1 + r.nextInt(3);
        int batch = 1 + r.nextInt(3);
        int[] sa = rankA == 1 ? new int[] {k} : rankA == 2 ? new int[] {m, k}
                : new int[] {r.nextBoolean() ? batch : 1, m, k};
        int[] sb = rankB == 1 ? new int[] {k} : rankB == 2 ? new int[] {k, n}
                : new int[] {r.nextBoolean() ? batch : 1, k, n};
        Tensor a = operand(r, sa);
        Tensor b = operand(r, sb);
        Tensor c = a.matmul(b);

        // Expected: loop over the broadcast batch, one EJML product per matrix.
        int ba = rankA == 3 ? sa[0] : 1;
        int bb = rankB == 3 ? sb[0] : 1;
        int nb = Math.max(ba, bb);
        int rows = rankA == 1 ? 1 : m;
        int cols = rankB == 1 ? 1 : n;
        double[] expected = new double[nb * rows * cols];
        for (int p = 0; p < nb; p++) {
            DMatrixRMaj am = matrix(a, rankA, p % ba, rows, k, true);
            DMatrixRMaj bm = matrix(b, rankB, p % bb, k, cols, false);
            DMatrixRMaj cm = new DMatrixRMaj(rows, cols);
            CommonOps_DDRM.mult(am, bm, cm);
            System.arraycopy(cm.data, 0, expected, p * rows * cols, rows * cols);
        }
        int[] shape = rankA == 3 || rankB == 3 ? new int[] {nb, rows, cols} : new int[] {rows, cols};
        Tensor exp = f64(expected, shape);
        if (rankA == 1) {
            exp = exp.squeeze(-2);
        }
        if (rankB == 1) {
            exp = exp.squeeze(-1);
        }
        assertClose(exp, c, 1e-12, 1e-12, "matmul " + Arrays.toString(sa) + " @ " + Arrays.toString(sb));
    }

    /** A random f64 operand, stored transposed (last two axes) half of the time. */
    static Tensor operand(Random r, int[] shape) {
        double[] v = new double[Cases.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        if (shape.length >= 2 && r.nextBoolean()) {
            int[] st = shape.clone();
            st[st.length - 1] = shape[shape.length - 2];
            st[st.length - 2] = shape[shape.length - 1];
            return f64(v, st).mT();
        }
        return f64(v, shape);
    }

    static DMatrixRMaj matrix(Tensor t, int rank, int batch, int rows, int cols, boolean left) {
        Tensor m = rank == 3 ? t.select(0, batch) : rank == 1 ? (left ? t.unsqueeze(0) : t.unsqueeze(1)) : t;
        DMatrixRMaj d = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                d.set(i, j, m.get(i, j));
            }
        }
        return d;
    }

    @Test
    void matmulHandComputed() {
        Tensor a = f64(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = f64(new double[] {7, 8, 9, 10, 11, 12}, 3, 2);
        assertExact(f64(new double[] {58, 64, 139, 154}, 2, 2), a.matmul(b), "2x3 @ 3x2");
        assertExact(f64(new double[] {14}).reshape(), f64(new double[] {1, 2, 3}).matmul(f64(new double[] {1, 2, 3})),
                "dot");
        assertExact(f64(new double[] {0, 0, 0, 0}, 2, 2), f64(new double[] {}, 2, 0).matmul(f64(new double[] {}, 0, 2)),
                "k = 0 gives zeros");
        assertEquals(DType.F64, f32(new float[] {1}).matmul(f64(new double[] {2})).dtype(), "f32 @ f64 -> f64");
    }
}
