package dev.deneb.cuda;

import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.ReduceOp;
import dev.deneb.tensor.UnaryOp;

/**
 * The integer op codes the kernels switch on ({@code elementwise.cu}, {@code reduce.cu}). Spelled out here rather
 * than taken from {@code ordinal()}, so that reordering an enum in tensor-core cannot silently change a kernel's
 * meaning. Every switch is exhaustive without a default, so a new enum constant does not compile until it has a
 * code; {@code OpCodesSourceTest} then checks, without a GPU, that the {@code .cu} switches have a case with the same
 * code for every constant, each case naming its constant in a C comment after the label, and that an unknown code
 * traps on the device.
 */
final class OpCodes {
    private OpCodes() {}

    /** Codes of {@code deneb_unary_*} ({@code unaryD}, and {@code unaryL} for ops that accept integers). */
    static int unary(UnaryOp op) {
        return switch (op) {
            case NEG -> 0;
            case ABS -> 1;
            case SIGN -> 2;
            case RELU -> 3;
            case STEP -> 4;
            case EXP -> 5;
            case LOG -> 6;
            case LOG1P -> 7;
            case SQRT -> 8;
            case RSQRT -> 9;
            case SIN -> 10;
            case COS -> 11;
            case TANH -> 12;
            case SIGMOID -> 13;
            case ERF -> 14;
            case GELU -> 15;
            case SILU -> 16;
            case SOFTPLUS -> 17;
            case RECIPROCAL -> 18;
            case FLOOR -> 19;
            case CEIL -> 20;
            case ROUND -> 21;
            case TRUNC -> 22;
            case HARDSWISH -> 23;
        };
    }

    /** The first comparison code: arithmetic ops are below it, comparisons at and above it. */
    static final int FIRST_COMPARISON = 64;

    /**
     * One code table for every {@link BinaryOp}: arithmetic ops (codes below {@link #FIRST_COMPARISON}) go to
     * {@code deneb_binary_*}, comparisons to {@code deneb_compare_*}; {@link #kernel} says which.
     */
    static int binary(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case POW -> 4;
            case MAXIMUM -> 5;
            case MINIMUM -> 6;
            case REMAINDER -> 7;
            case FMOD -> 8;
            case EQ -> FIRST_COMPARISON;
            case NE -> FIRST_COMPARISON + 1;
            case LT -> FIRST_COMPARISON + 2;
            case LE -> FIRST_COMPARISON + 3;
            case GT -> FIRST_COMPARISON + 4;
            case GE -> FIRST_COMPARISON + 5;
        };
    }

    /** The kernel family of a binary op: {@code "deneb_compare_"} or {@code "deneb_binary_"}. */
    static String kernel(BinaryOp op) {
        return op.isComparison() ? "deneb_compare_" : "deneb_binary_";
    }

    static int reduce(ReduceOp op) {
        return switch (op) {
            case SUM -> 0;
            case PROD -> 1;
            case MAX -> 2;
            case MIN -> 3;
        };
    }
}
