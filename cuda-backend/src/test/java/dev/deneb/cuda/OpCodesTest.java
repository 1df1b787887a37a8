package dev.deneb.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.ReduceOp;
import dev.deneb.tensor.UnaryOp;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each op has its own code, and binary codes fall on the side of {@link OpCodes#FIRST_COMPARISON} their kernel
 * family handles. That the kernels' switches know exactly these codes is {@link OpCodesSourceTest}'s job.
 */
class OpCodesTest {
    @Test
    void codesAreDistinctPerEnum() {
        Set<Integer> unary = new HashSet<>();
        for (UnaryOp op : UnaryOp.values()) {
            int c = OpCodes.unary(op);
            assertTrue(c >= 0 && unary.add(c), op + " -> " + c + " (negative or taken)");
        }
        Set<Integer> binary = new HashSet<>();
        for (BinaryOp op : BinaryOp.values()) {
            int c = OpCodes.binary(op);
            assertTrue(c >= 0 && binary.add(c), op + " -> " + c + " (negative or taken)");
        }
        Set<Integer> reduce = new HashSet<>();
        for (ReduceOp op : ReduceOp.values()) {
            int c = OpCodes.reduce(op);
            assertTrue(c >= 0 && reduce.add(c), op + " -> " + c + " (negative or taken)");
        }
    }

    @Test
    void comparisonsAndArithmeticAreOnTheirSideOfTheSplit() {
        for (BinaryOp op : BinaryOp.values()) {
            int c = OpCodes.binary(op);
            assertEquals(op.isComparison(), c >= OpCodes.FIRST_COMPARISON, op + " -> " + c);
            assertEquals(op.isComparison() ? "deneb_compare_" : "deneb_binary_", OpCodes.kernel(op), op.name());
        }
    }
}
