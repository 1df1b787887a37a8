package dev.deneb.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.cpu.Parallel;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input raises IllegalArgumentException (never an index error from inside a kernel) whose message names
 * the op and the offending shape or value.
 */
class BadInputTest {

    /** Asserts an IllegalArgumentException whose message contains every fragment. */
    static void bad(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String m = String.valueOf(e.getMessage());
        for (String f : fragments) {
            assertTrue(m.contains(f), "message \"" + m + "\" should mention \"" + f + "\"");
        }
    }

    static Tensor x23() {
        return Tensor.zeros(2, 3);
    }

    static Tensor idx(long... v) {
        return Tensor.of(v);
    }

    // ---- sizes ----

    @Test void zerosNegativeSize() { bad(() -> Tensor.zeros(2, -3), "zeros", "[2, -3]"); }
    @Test void onesNegativeSize() { bad(() -> Tensor.ones(-1), "ones", "[-1]"); }
    @Test void fullNegativeSize() { bad(() -> Tensor.full(1.0, DType.I32, 4, -2), "full", "[4, -2]"); }
    @Test void zerosOverflowingSize() { bad(() -> Tensor.zeros(100_000, 100_000), "zeros", "[100000, 100000]"); }
    @Test void randnNegativeSize() { bad(() -> Tensor.randn(3, -1), "[3, -1]"); }
    @Test void randNegativeSize() { bad(() -> Tensor.rand(-5), "[-5]"); }
    @Test void eyeNegative() { bad(() -> Tensor.eye(-2), "eye", "-2"); }
    @Test void expandOverflowingSize() { bad(() -> Tensor.zeros(1, 1).expand(100_000, 100_000), "expand", "[100000, 100000]"); }
    @Test void arangeZeroStep() { bad(() -> Tensor.arange(0, 5, 0), "arange", "step"); }
    @Test void arangeFloatZeroStep() { bad(() -> Tensor.arange(0.0, 1.0, 0.0), "arange", "step"); }
    @Test void arangeNaN() { bad(() -> Tensor.arange(0.0, Double.NaN, 1.0), "arange", "NaN"); }
    @Test void arangeTooLong() { bad(() -> Tensor.arange(0, 3_000_000_000L, 1), "arange", "3000000000"); }

    /** end - start overflows a long: must not silently give an empty tensor. */
    @Test void arangeOverflowingRange() { bad(() -> Tensor.arange(-(1L << 62), 1L << 62, 1), "arange"); }

    @Test void linspaceNegativeSteps() { bad(() -> Tensor.linspace(0, 1, -1), "linspace", "-1"); }
    /** Used to be an OutOfMemoryError: more steps than any array holds is a bad argument. */
    @Test void linspaceTooManySteps() {
        bad(() -> Tensor.linspace(0, 1, Integer.MAX_VALUE), "linspace", "2147483647", "" + Tensor.MAX_ELEMENTS);
    }
    /** The compact constructor used to print `this`, whose fields are all still 0 at that point. */
    @Test void convOptionsNamesTheRejectedValues() {
        bad(() -> new ConvOptions(2, 3, -1, 4, 5, 6, 7), "ConvOptions", "stride 2×3", "padding -1×4",
                "dilation 5×6", "groups 7");
        bad(() -> ConvOptions.defaults().groups(0), "groups 0", "stride 1×1");
    }
    @Test void poolOptionsNamesTheRejectedValues() {
        bad(() -> new PoolOptions(3, 5, 0, 2, 1, 2, 1, 4, false, true), "PoolOptions", "kernel 3×5", "stride 0×2",
                "padding 1×2", "dilation 1×4");
        bad(() -> PoolOptions.of(2).padding(2), "kernel 2×2", "padding 2×2");
    }
    @Test void ofWrongCount() { bad(() -> Tensor.of(new float[5], 2, 3), "of", "[2, 3]", "5"); }
    @Test void ofRaggedRows() { bad(() -> Tensor.of(new float[][] {{1, 2}, {3}}), "of", "row 1"); }
    @Test void fromStorageOutOfBounds() {
        Storage s = Tensor.zeros(4).storage();
        bad(() -> Tensor.fromStorage(s, new int[] {3}, new int[] {2}, 0), "fromStorage", "[3]", "4");
    }

    // ---- reshape / view ----

    @Test void reshapeWrongCount() { bad(() -> x23().reshape(4, 2), "reshape", "[4, 2]", "6"); }
    @Test void reshapeTwoInferred() { bad(() -> x23().reshape(-1, -1), "reshape", "[-1, -1]"); }
    @Test void reshapeCannotInfer() { bad(() -> x23().reshape(-1, 4), "reshape", "[-1, 4]", "6"); }
    @Test void reshapeNegative() { bad(() -> x23().reshape(-2, -3), "reshape", "[-2, -3]"); }
    @Test void reshapeInferWithZero() { bad(() -> Tensor.zeros(0).reshape(-1, 0), "reshape", "[-1, 0]"); }
    @Test void viewOfNonContiguous() { bad(() -> x23().t().view(6), "view", "[3, 2]", "[6]"); }
    @Test void viewWrongCount() { bad(() -> x23().view(5), "view", "[5]"); }

    // ---- axes: every axis-taking op ----

    static Stream<Arguments> badAxes() {
        Tensor i = Tensor.zeros(DType.I64, 2, 3);
        return Stream.of(
                Arguments.of("sum", (Executable) () -> x23().sum(2), "2", "rank 2"),
                Arguments.of("sum", (Executable) () -> x23().sum(new int[] {-3}, false), "-3", "rank 2"),
                Arguments.of("prod", (Executable) () -> x23().prod(new int[] {2}, true), "2", "rank 2"),
                Arguments.of("mean", (Executable) () -> x23().mean(5), "5", "rank 2"),
                Arguments.of("amax", (Executable) () -> x23().amax(new int[] {2}, false), "2", "rank 2"),
                Arguments.of("amin", (Executable) () -> x23().amin(new int[] {-4}, false), "-4", "rank 2"),
                Arguments.of("max", (Executable) () -> x23().max(2, false), "2", "rank 2"),
                Arguments.of("min", (Executable) () -> x23().min(-3, true), "-3", "rank 2"),
                Arguments.of("argmax", (Executable) () -> x23().argmax(2, false), "2", "rank 2"),
                Arguments.of("argmin", (Executable) () -> x23().argmin(7, false), "7", "rank 2"),
                Arguments.of("var", (Executable) () -> x23().var(new int[] {2}, 1, false), "2", "rank 2"),
                Arguments.of("std", (Executable) () -> x23().std(new int[] {3}, 1, false), "3", "rank 2"),
                Arguments.of("logsumexp", (Executable) () -> x23().logsumexp(new int[] {2}, false), "2", "rank 2"),
                Arguments.of("norm", (Executable) () -> x23().norm(2, new int[] {2}, false), "2", "rank 2"),
                Arguments.of("softmax", (Executable) () -> x23().softmax(2), "2", "rank 2"),
                Arguments.of("logSoftmax", (Executable) () -> x23().logSoftmax(-3), "-3", "rank 2"),
                Arguments.of("transpose", (Executable) () -> x23().transpose(0, 2), "2", "rank 2"),
                Arguments.of("permute", (Executable) () -> x23().permute(0, 2), "2", "rank 2"),
                Arguments.of("slice", (Executable) () -> x23().slice(2, 0, 1), "2", "rank 2"),
                Arguments.of("narrow", (Executable) () -> x23().narrow(-3, 0, 1), "-3", "rank 2"),
                Arguments.of("select", (Executable) () -> x23().select(2, 0), "2", "rank 2"),
                Arguments.of("squeeze", (Executable) () -> x23().squeeze(2), "2", "rank 2"),
                Arguments.of("unsqueeze", (Executable) () -> x23().unsqueeze(3), "3", "-3 .. 2"),
                Arguments.of("flatten", (Executable) () -> x23().flatten(0, 2), "2", "rank 2"),
                Arguments.of("split", (Executable) () -> x23().split(1, 2), "2", "rank 2"),
                Arguments.of("chunk", (Executable) () -> x23().chunk(2, -3), "-3", "rank 2"),
                Arguments.of("cat", (Executable) () -> Tensor.cat(2, x23(), x23()), "2", "rank 2"),
                Arguments.of("stack", (Executable) () -> Tensor.stack(4, x23(), x23()), "4", "-3 .. 2"),
                Arguments.of("indexSelect", (Executable) () -> x23().indexSelect(2, idx(0)), "2", "rank 2"),
                Arguments.of("gather", (Executable) () -> x23().gather(2, i), "2", "rank 2"),
                Arguments.of("scatter", (Executable) () -> x23().scatter(-3, i, x23()), "-3", "rank 2"),
                Arguments.of("scatterAdd", (Executable) () -> x23().scatterAdd(2, i, x23()), "2", "rank 2"),
                Arguments.of("size", (Executable) () -> x23().size(2), "2", "rank 2"));
    }

    @ParameterizedTest(name = "{0} axis {2}")
    @MethodSource("badAxes")
    void badAxisNamesTheOpAndTheAxis(String op, Executable call, String axis, String range) {
        bad(call, op + ":", "axis " + axis, range);
    }

    @Test void repeatedAxesInReduction() { bad(() -> x23().sum(new int[] {1, -1}, false), "sum", "twice", "[1, -1]"); }
    @Test void transposeOfThreeDims() { bad(() -> Tensor.zeros(1, 2, 3).t(), "t", "[1, 2, 3]"); }
    @Test void mTOfVector() { bad(() -> Tensor.zeros(3).mT(), "mT", "[3]"); }
    @Test void flattenStartAfterEnd() { bad(() -> Tensor.zeros(1, 2, 3).flatten(2, 0), "flatten", "2", "0"); }

    // ---- broadcasting ----

    @Test void addIncompatible() { bad(() -> x23().add(Tensor.zeros(4)), "add", "[2, 3]", "[4]"); }
    @Test void mulIncompatible() { bad(() -> x23().mul(Tensor.zeros(3, 1)), "mul", "[2, 3]", "[3, 1]"); }
    @Test void ltIncompatible() { bad(() -> x23().lt(Tensor.zeros(2)), "lt", "[2, 3]", "[2]"); }
    @Test void whereIncompatible() {
        bad(() -> Tensor.where(Tensor.zeros(DType.BOOL, 2), Tensor.zeros(3), Tensor.zeros(3)), "where", "[2]", "[3]");
    }
    @Test void maskedFillIncompatible() {
        bad(() -> Tensor.zeros(3).maskedFill(Tensor.zeros(DType.BOOL, 2), 1), "maskedFill", "[2]", "[3]");
    }
    @Test void maskedFillMaskWouldGrowTheTensor() {
        bad(() -> Tensor.zeros(3).maskedFill(Tensor.zeros(DType.BOOL, 3, 1), 1), "maskedFill", "[3, 1]", "[3]");
    }
    @Test void copyFromIncompatible() { bad(() -> Tensor.zeros(3).copyFrom(Tensor.zeros(2)), "copyFrom", "[2]", "[3]"); }
    @Test void expandIncompatible() { bad(() -> x23().expand(2, 4), "expand", "[2, 3]", "[2, 4]"); }
    @Test void expandToLowerRank() { bad(() -> x23().expand(3), "expand", "[2, 3]", "[3]"); }
    @Test void expandNegativeSize() { bad(() -> Tensor.zeros(1).expand(-2), "expand", "-2"); }

    // ---- matmul ----

    @Test void matmulInnerMismatch() { bad(() -> x23().matmul(Tensor.zeros(4, 5)), "matmul", "[2, 3]", "[4, 5]", "3", "4"); }
    @Test void matmulVectorMismatch() { bad(() -> Tensor.zeros(3).matmul(Tensor.zeros(4)), "matmul", "[3]", "[4]"); }
    @Test void matmulRankZero() { bad(() -> Tensor.scalar(1).matmul(Tensor.zeros(3)), "matmul", "[]", "[3]"); }
    @Test void matmulIntegers() {
        bad(() -> Tensor.zeros(DType.I32, 2, 2).matmul(Tensor.zeros(DType.I32, 2, 2)), "matmul", "i32");
    }
    @Test void matmulBatchMismatch() {
        bad(() -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 5)), "matmul", "[2, 3, 4]", "[3, 4, 5]");
    }

    // ---- dtype misuse ----

    @Test void meanOfIntegers() { bad(() -> Tensor.zeros(DType.I32, 3).mean(), "mean", "i32"); }
    @Test void varOfIntegers() { bad(() -> Tensor.zeros(DType.I64, 3).var(), "var", "i64"); }
    @Test void stdOfIntegers() { bad(() -> Tensor.zeros(DType.I64, 3).std(), "std", "i64"); }
    @Test void softmaxOfIntegers() { bad(() -> Tensor.zeros(DType.I32, 3).softmax(0), "softmax", "i32"); }
    @Test void logSoftmaxOfBool() { bad(() -> Tensor.zeros(DType.BOOL, 3).logSoftmax(0), "logSoftmax", "bool"); }
    @Test void logsumexpOfIntegers() { bad(() -> Tensor.zeros(DType.I32, 3).logsumexp(new int[0], false), "logsumexp", "i32"); }
    @Test void normOfIntegers() { bad(() -> Tensor.zeros(DType.I32, 3).norm(), "norm", "i32"); }
    @Test void whereWithFloatCondition() {
        bad(() -> Tensor.where(Tensor.zeros(3), Tensor.zeros(3), Tensor.zeros(3)), "where", "bool", "f32");
    }
    @Test void maskedFillWithIntMask() {
        bad(() -> Tensor.zeros(3).maskedFill(Tensor.zeros(DType.I32, 3), 1), "maskedFill", "bool", "i32");
    }
    @Test void integerToNegativePower() {
        bad(() -> Tensor.of(new long[] {2, 3}).pow(Tensor.of(new long[] {1, -1})), "pow", "-1");
    }

    // ---- reductions over nothing ----

    @Test void maxOfEmpty() { bad(() -> Tensor.zeros(0, 3).max(), "max", "[0, 3]"); }
    @Test void aminOverEmptyAxis() { bad(() -> Tensor.zeros(0, 3).amin(new int[] {0}, false), "min", "[0, 3]"); }
    @Test void maxAlongEmptyAxis() { bad(() -> Tensor.zeros(2, 0).max(1, false), "max", "[2, 0]"); }
    @Test void argmaxOfEmpty() { bad(() -> Tensor.zeros(0).argmax(), "argmax", "[0]"); }
    @Test void normInfOfEmpty() { bad(() -> Tensor.zeros(0).norm(Double.POSITIVE_INFINITY, new int[0], false), "norm", "[0]"); }
    @Test void normBadP() { bad(() -> Tensor.zeros(3).norm(-1, new int[0], false), "norm", "-1"); }
    @Test void varNegativeCorrection() { bad(() -> Tensor.zeros(3).var(new int[0], -1, false), "var", "-1"); }

    // ---- joining ----

    @Test void catMismatchedShapes() { bad(() -> Tensor.cat(0, x23(), Tensor.zeros(2, 4)), "cat", "[2, 4]", "[2, 3]"); }
    @Test void catMismatchedRanks() { bad(() -> Tensor.cat(0, x23(), Tensor.zeros(3)), "cat", "[3]"); }
    @Test void catEmptyList() { bad(() -> Tensor.cat(0, List.of()), "cat", "at least one"); }
    @Test void catScalars() { bad(() -> Tensor.cat(0, Tensor.scalar(1), Tensor.scalar(2)), "cat", "0-D"); }
    @Test void stackMismatched() { bad(() -> Tensor.stack(0, x23(), Tensor.zeros(3, 2)), "stack", "[3, 2]", "[2, 3]"); }
    @Test void stackEmptyList() { bad(() -> Tensor.stack(0, List.of()), "stack", "at least one"); }
    @Test void splitSizesNotSumming() { bad(() -> x23().split(new int[] {1, 1}, 1), "split", "[1, 1]", "3"); }
    @Test void splitNegativeSizes() { bad(() -> x23().split(new int[] {4, -1}, 1), "split", "[4, -1]"); }
    @Test void splitSizeZero() { bad(() -> x23().split(0, 1), "split", "0"); }
    @Test void chunkZero() { bad(() -> x23().chunk(0, 1), "chunk", "0"); }

    // ---- views out of range ----

    @Test void narrowOutOfRange() { bad(() -> x23().narrow(1, 2, 2), "narrow", "2", "size 3", "[2, 3]"); }
    @Test void narrowNegativeLength() { bad(() -> x23().narrow(1, 0, -1), "narrow", "-1"); }
    @Test void selectOutOfRange() { bad(() -> x23().select(0, 2), "select", "index 2", "size 2"); }
    @Test void selectNegativeOutOfRange() { bad(() -> x23().select(1, -4), "select", "-4", "size 3"); }
    @Test void selectOfScalar() { bad(() -> Tensor.scalar(1).select(0, 0), "select", "rank 0"); }
    @Test void sliceStepZero() { bad(() -> x23().slice(1, 0, 3, 0), "slice", "step", "0"); }
    @Test void sliceNegativeStep() { bad(() -> x23().slice(1, 0, 3, -1), "slice", "step", "-1"); }
    @Test void permuteRepeated() { bad(() -> x23().permute(1, 1), "permute", "repeated", "[1, 1]"); }
    @Test void permuteWrongLength() { bad(() -> x23().permute(0), "permute", "[2, 3]", "[0]"); }
    @Test void getWrongIndexCount() { bad(() -> x23().get(1), "get", "[2, 3]"); }
    @Test void getOutOfRange() { bad(() -> x23().get(1, 5), "5", "size 3"); }
    @Test void itemOfMany() { bad(() -> x23().item(), "item", "[2, 3]"); }
    @Test void itemOfEmpty() { bad(() -> Tensor.zeros(0).item(), "item", "[0]"); }

    // ---- indices ----

    @Test void indexSelectOutOfRange() { bad(() -> x23().indexSelect(1, idx(0, 3)), "indexSelect", "3", "size 3"); }
    @Test void indexSelectNegative() { bad(() -> x23().indexSelect(0, idx(-1)), "indexSelect", "-1"); }
    @Test void indexSelectFloatIndex() { bad(() -> x23().indexSelect(0, Tensor.zeros(2)), "indexSelect", "f32"); }
    @Test void indexSelectMatrixIndex() { bad(() -> x23().indexSelect(0, Tensor.zeros(DType.I64, 2, 2)), "indexSelect", "[2, 2]"); }
    @Test void gatherOutOfRange() {
        bad(() -> x23().gather(1, Tensor.of(new long[] {0, 3}, 1, 2)), "gather", "3", "size 3");
    }
    @Test void gatherNegative() { bad(() -> x23().gather(0, Tensor.of(new long[] {-2}, 1, 1)), "gather", "-2"); }
    @Test void gatherFloatIndex() { bad(() -> x23().gather(0, Tensor.zeros(1, 1)), "gather", "f32"); }
    @Test void gatherWrongRank() { bad(() -> x23().gather(0, idx(0)), "gather", "[1]", "[2, 3]"); }
    @Test void gatherIndexTooBig() {
        bad(() -> x23().gather(0, Tensor.zeros(DType.I64, 1, 4)), "gather", "[1, 4]", "[2, 3]");
    }
    @Test void scatterOutOfRange() {
        bad(() -> x23().scatter(0, Tensor.of(new long[] {2}, 1, 1), x23()), "scatter", "2", "size 2");
    }
    @Test void scatterAddNegative() {
        bad(() -> x23().scatterAdd(1, Tensor.of(new long[] {-1}, 1, 1), x23()), "scatterAdd", "-1");
    }
    @Test void scatterSrcWrongRank() {
        bad(() -> x23().scatter(0, Tensor.zeros(DType.I64, 1, 1), Tensor.zeros(3)), "scatter", "[3]", "[1, 1]");
    }
    @Test void scatterSrcTooSmall() {
        bad(() -> x23().scatter(0, Tensor.zeros(DType.I64, 2, 2), Tensor.zeros(1, 2)), "scatter", "[1, 2]", "[2, 2]");
    }
    @Test void scatterFloatIndex() { bad(() -> x23().scatter(0, Tensor.zeros(1, 1), x23()), "scatter", "f32"); }
    @Test void oneHotOutOfRange() { bad(() -> idx(0, 3).oneHot(3), "oneHot", "3"); }
    @Test void oneHotNegative() { bad(() -> idx(-1).oneHot(3), "oneHot", "-1"); }
    @Test void oneHotFloatLabels() { bad(() -> Tensor.zeros(2).oneHot(3), "oneHot", "f32"); }
    @Test void oneHotNoClasses() { bad(() -> idx(0).oneHot(0), "oneHot", "0"); }
    @Test void embeddingOutOfRange() { bad(() -> Tensor.embedding(Tensor.zeros(4, 2), idx(1, 4)), "embedding", "4"); }
    @Test void embeddingNegative() { bad(() -> Tensor.embedding(Tensor.zeros(4, 2), idx(-1)), "embedding", "-1"); }
    @Test void embeddingFloatIndices() { bad(() -> Tensor.embedding(Tensor.zeros(4, 2), Tensor.zeros(2)), "embedding", "f32"); }
    @Test void embeddingWeightNotMatrix() { bad(() -> Tensor.embedding(Tensor.zeros(4), idx(0)), "embedding", "[4]"); }

    // ---- backends ----

    static Tensor onRef(Tensor t) {
        return t.to(Backends.reference());
    }

    static Stream<Arguments> mixedBackends() {
        Tensor cpu = Tensor.zeros(2, 2).to(Backends.cpu());
        Tensor ref = onRef(Tensor.zeros(2, 2));
        Tensor refIdx = onRef(Tensor.zeros(DType.I64, 2, 2));
        return Stream.of(
                Arguments.of("add", (Supplier<Object>) () -> ref.add(cpu)),
                Arguments.of("maximum", (Supplier<Object>) () -> cpu.maximum(ref)),
                Arguments.of("matmul", (Supplier<Object>) () -> ref.matmul(cpu)),
                Arguments.of("where", (Supplier<Object>) () -> Tensor.where(onRef(Tensor.zeros(DType.BOOL, 2)), ref, cpu)),
                Arguments.of("cat", (Supplier<Object>) () -> Tensor.cat(0, ref, cpu)),
                Arguments.of("copyFrom", (Supplier<Object>) () -> cpu.copyFrom(ref)),
                Arguments.of("gather", (Supplier<Object>) () -> cpu.gather(0, refIdx)),
                Arguments.of("indexSelect", (Supplier<Object>) () -> cpu.indexSelect(0, onRef(idx(0)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mixedBackends")
    void mixingBackendsIsRejected(String op, Supplier<Object> call) {
        bad(call::get, op, "cpu-reference", "cpu");
    }

    // ---- misc ----

    @Test void clampMinAboveMax() { bad(() -> x23().clamp(3, 1), "clamp", "3.0", "1.0"); }
    @Test void uniformLowAboveHigh() { bad(() -> new Generator(0).uniform(2, 1, 3), "uniform", "2.0", "1.0"); }
    @Test void normalNegativeStd() { bad(() -> new Generator(0).normal(0, -1, 3), "normal", "-1.0"); }
    @Test void randintEmptyRange() { bad(() -> new Generator(0).randint(5, 5, 3), "randint", "5"); }
    @Test void bernoulliBadP() { bad(() -> new Generator(0).bernoulli(1.5, 3), "bernoulli", "1.5"); }
    @Test void permutationNegative() { bad(() -> new Generator(0).permutation(-1), "permutation", "-1"); }
    @Test void setThreadsZero() { bad(() -> Parallel.setThreads(0), "setThreads", "0"); }
    @Test void setCurrentNull() { bad(() -> Backends.setCurrent(null), "setCurrent", "null"); }

    // ---- fused steps ----

    @Test void lstmGatesNotFourH() {
        bad(() -> LstmPointwise.forward(Tensor.zeros(2, 6), Tensor.zeros(2, 1)), "LstmPointwise.forward", "[2, 6]",
                "4*H");
    }
    @Test void lstmCellWrongShape() {
        bad(() -> LstmPointwise.forward(Tensor.zeros(2, 8), Tensor.zeros(3, 2)), "LstmPointwise.forward",
                "cellPrev", "[2, 2]", "[3, 2]");
    }
    @Test void lstmBackwardWrongGradShape() {
        bad(() -> LstmPointwise.backward(Tensor.zeros(2, 8), Tensor.zeros(2, 2), Tensor.zeros(2, 2),
                Tensor.zeros(2, 3), Tensor.zeros(2, 2)), "LstmPointwise.backward", "gradHidden", "[2, 3]");
    }
    @Test void lstmMixedDtypes() {
        bad(() -> LstmPointwise.forward(Tensor.zeros(2, 8), Tensor.zeros(DType.F64, 2, 2)), "cellPrev", "f64",
                "f32");
    }
    @Test void gruGatesNotThreeH() {
        bad(() -> GruPointwise.forward(Tensor.zeros(2, 7), Tensor.zeros(2, 7), Tensor.zeros(2, 2)),
                "GruPointwise.forward", "[2, 7]", "3*H");
    }
    @Test void gruHiddenGatesWrongShape() {
        bad(() -> GruPointwise.forward(Tensor.zeros(2, 6), Tensor.zeros(2, 3), Tensor.zeros(2, 2)),
                "GruPointwise.forward", "hiddenGates", "[2, 6]", "[2, 3]");
    }
    @Test void gruBackwardWrongGradShape() {
        bad(() -> GruPointwise.backward(Tensor.zeros(2, 6), Tensor.zeros(2, 6), Tensor.zeros(2, 2),
                Tensor.zeros(3, 2)), "GruPointwise.backward", "gradHidden", "[2, 2]", "[3, 2]");
    }
    @Test void gruMixedDtypes() {
        bad(() -> GruPointwise.forward(Tensor.zeros(2, 6), Tensor.zeros(2, 6), Tensor.zeros(DType.F64, 2, 2)),
                "hiddenPrev", "f64", "f32");
    }
    @Test void rowNormNotMatrix() { bad(() -> RowNorm.forward(Tensor.zeros(2, 3, 4), 1e-5), "RowNorm", "[2, 3, 4]"); }
    @Test void rowNormNoColumns() { bad(() -> RowNorm.forward(Tensor.zeros(2, 0), 1e-5), "RowNorm", "[2, 0]"); }
    @Test void rowNormNegativeEps() { bad(() -> RowNorm.forward(x23(), -1), "RowNorm", "eps", "-1"); }
    @Test void rowNormBackwardWrongRstd() {
        bad(() -> RowNorm.backward(x23(), x23(), Tensor.zeros(3, 1)), "RowNorm.backward", "[3, 1]");
    }
    @Test void softmaxBackwardShapes() {
        bad(() -> SoftmaxGrad.backward(Tensor.zeros(2, 4), x23(), 1, false), "softmax backward", "[2, 4]", "[2, 3]");
    }
    @Test void softmaxBackwardDtypes() {
        bad(() -> SoftmaxGrad.backward(Tensor.zeros(DType.F64, 2, 3), x23(), 1, true), "logSoftmax backward", "f64",
                "f32");
    }
    @Test void layerNormWeightShape() {
        bad(() -> RowNorm.affine(x23(), Tensor.zeros(2), Tensor.zeros(3), 1e-5), "RowNorm.affine", "[2, 3]", "[2]");
    }
    @Test void layerNormDtypes() {
        bad(() -> RowNorm.affine(x23(), Tensor.zeros(DType.F64, 3), Tensor.zeros(3), 1e-5), "RowNorm.affine", "f64");
    }
    @Test void layerNormBackwardRstd() {
        bad(() -> RowNorm.affineBackward(x23(), x23(), Tensor.zeros(3, 1), Tensor.zeros(3)), "affineBackward",
                "[3, 1]");
    }
}
