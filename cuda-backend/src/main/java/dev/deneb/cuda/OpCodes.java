package dev.deneb.cuda;

import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.ReduceOp;
import dev.deneb.tensor.UnaryOp;

/**
 * The integer op codes the kernels switch on ({@code elementwise.cu}, {@code reduce.cu}). Spelled out here rather
 * than taken from {@code ordinal()}, so that reordering an enum in tensor-core cannot silently change a kernel's
 * meaning; {@code OpCodesTest} checks every constant has a code.
 */
final class OpCodes {
    private OpCodes() {}

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
        };
    }

    /** Arithmetic ops for {@code deneb_binary_*}. */
    static int binary(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case POW -> 4;
            case MAXIMUM -> 5;
            case MINIMUM -> 6;
            default -> throw new IllegalArgumentException(op + " is a comparison");
        };
    }

    /** Comparisons for {@code deneb_compare_*}. */
    static int comparison(BinaryOp op) {
        return switch (op) {
            case EQ -> 0;
            case NE -> 1;
            case LT -> 2;
            case LE -> 3;
            case GT -> 4;
            case GE -> 5;
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
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
