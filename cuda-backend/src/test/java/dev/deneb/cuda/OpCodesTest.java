package dev.deneb.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.UnaryOp;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each op has its own code, in the ranges the kernels' switches handle (elementwise.cu, reduce.cu). */
class OpCodesTest {
    @Test
    void codesAreDistinctAndInRange() {
        Set<Integer> unary = new HashSet<>();
        for (UnaryOp op : UnaryOp.values()) {
            int c = OpCodes.unary(op);
            assertEquals(true, c >= 0 && c <= 18 && unary.add(c), op + " -> " + c);
            assertEquals(true, !op.acceptsIntegers() || c <= 4, op + " must be in unaryL's cases");
        }
        Set<Integer> arith = new HashSet<>();
        Set<Integer> cmp = new HashSet<>();
        for (BinaryOp op : BinaryOp.values()) {
            if (op.isComparison()) {
                int c = OpCodes.comparison(op);
                assertEquals(true, c >= 0 && c <= 5 && cmp.add(c), op + " -> " + c);
            } else {
                int c = OpCodes.binary(op);
                assertEquals(true, c >= 0 && c <= 6 && arith.add(c), op + " -> " + c);
            }
        }
    }
}
