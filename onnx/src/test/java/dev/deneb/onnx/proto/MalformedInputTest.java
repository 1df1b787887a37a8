package dev.deneb.onnx.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.onnx.OnnxException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Hostile inputs fail fast with an OnnxException, before any allocation their declared sizes would need. */
class MalformedInputTest {
    private static long allocatedBy(Runnable r) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        r.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void aTwentyByteFileDeclaringTwoGigabytesOfRawDataFailsFast() {
        for (long declared : new long[] {1L << 31, (1L << 31) - 1, 1L << 40, -1}) {
            byte[] bytes = OnnxSeeds.hugeRawData(declared);
            assertTrue(bytes.length <= 24, bytes.length + " bytes");
            long allocated = allocatedBy(() -> {
                OnnxException e = assertThrows(OnnxException.class, () -> OnnxFormat.decode(bytes));
                assertTrue(e.getMessage().contains("raw_data: declared length"), e.getMessage());
                assertTrue(e.getMessage().contains("model.graph.initializer"), e.getMessage());
            });
            assertTrue(allocated < 1 << 20, "decoding allocated " + allocated + " bytes");
        }
    }

    @Test
    void nestingWithinTheLimitDecodes() {
        ModelProto m = OnnxSeeds.nested(15);
        Protos.assertModel(m, OnnxFormat.decode(OnnxFormat.encode(m)));
    }

    @Test
    void nestingPastTheLimitFailsWithoutOverflowingTheStack() {
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxFormat.decode(OnnxFormat.encode(
                OnnxSeeds.nested(30))));
        assertTrue(e.getMessage().contains("messages nest deeper than " + WireReader.MAX_DEPTH), e.getMessage());
        byte[] deep = OnnxSeeds.deeplyNested(2000); // 6000 levels
        OnnxException deeper = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(OnnxException.class, () -> OnnxFormat.decode(deep)));
        assertTrue(deeper.getMessage().contains("nest deeper"), deeper.getMessage());
    }

    @Test
    void manyEmptyRecordsCostOnlyTheirRecords() {
        byte[] bytes = OnnxSeeds.manyEmptyNodes(100_000);
        ModelProto[] m = new ModelProto[1];
        long allocated = allocatedBy(() -> m[0] = OnnxFormat.decode(bytes));
        assertEquals(100_000, m[0].graph().nodes().size());
        assertTrue(allocated < 40L * bytes.length, "allocated " + allocated + " bytes for " + bytes.length);
    }

    @Test
    void countsThatDisagreeWithTheDimsFailBeforeConversion() {
        // dims [1], 100000 unpacked int64_data values
        WireWriter t = new WireWriter(16);
        t.int64Field(1, 1);
        t.int32Field(2, DataType.INT64);
        for (int i = 0; i < 100_000; i++) {
            t.int64Field(7, i);
        }
        byte[] bytes = OnnxSeeds.wrap(7, OnnxSeeds.wrap(5, t.toByteArray()));
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxFormat.decode(bytes));
        assertTrue(e.getMessage().contains("hold 1 elements, int64_data holds 100000"), e.getMessage());
    }

    @Test
    void hugeDimsAreRefusedWithoutAllocating() {
        WireWriter t = new WireWriter(16);
        t.packedVarints(1, new long[] {1L << 20, 1L << 20, 1L << 20});
        t.int32Field(2, DataType.FLOAT);
        t.stringField(8, "big");
        byte[] bytes = OnnxSeeds.wrap(7, OnnxSeeds.wrap(5, t.toByteArray()));
        long allocated = allocatedBy(() -> {
            OnnxException e = assertThrows(OnnxException.class, () -> OnnxFormat.decode(bytes));
            assertTrue(e.getMessage().contains("tensor 'big'"), e.getMessage());
        });
        assertTrue(allocated < 1 << 20, "allocated " + allocated);
    }
}
