package dev.deneb.tensor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A tracing scope records every op (any dtype, no gradient needed) and changes nothing else. */
class TracingTest {
    @Test
    void recordsOpsOnIntegerAndBoolTensorsWithoutRequiringGrad() {
        Tensor ids = Tensor.of(new long[] {1, 2, 3}, 3);
        Tensor mask;
        Tensor sum;
        try (var t = Tracing.trace()) {
            assertTrue(Tracing.isActive());
            mask = ids.gt(1);
            sum = ids.add(ids);
        }
        assertFalse(Tracing.isActive());
        assertInstanceOf(Primitive.Binary.class, Tape.node(mask).op());
        assertSame(ids, Tape.node(sum).edge(0));
        assertFalse(mask.requiresGrad());
        assertFalse(sum.requiresGrad());
    }

    @Test
    void floatResultsRequireGradOnlyWhenAnInputDoes() {
        Tensor w = Tensor.randn(2, 2).requiresGrad(true);
        Tensor x = Tensor.randn(2, 2);
        Tensor plain;
        Tensor withW;
        try (var t = Tracing.trace()) {
            plain = x.mul(2);
            withW = x.matmul(w);
        }
        assertNotNull(Tape.node(plain));
        assertFalse(plain.requiresGrad());
        assertTrue(withW.requiresGrad());
    }

    @Test
    void outsideTheScopeNothingChanges() {
        Tensor ids = Tensor.of(new long[] {1, 2, 3}, 3);
        assertNull(Tape.node(ids.add(ids)));
        try (var t = Tracing.trace(); var g = GradMode.noGrad()) {
            assertNull(Tape.node(ids.add(ids)), "no recording when GradMode is off, tracing or not");
        }
    }
}
