package dev.deneb.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PtxImageTest {
    @Test
    void newestArchitectureTheDeviceCanRun() {
        assertEquals(90, PtxImage.architectureFor(9, 0));     // H100, H200
        assertEquals(90, PtxImage.architectureFor(10, 0));    // B200: JIT from compute_90
        assertEquals(90, PtxImage.architectureFor(12, 0));
        assertEquals(80, PtxImage.architectureFor(8, 0));     // A100
        assertEquals(80, PtxImage.architectureFor(8, 9));     // L4, RTX 40xx
        assertEquals(75, PtxImage.architectureFor(7, 5));     // T4
        assertEquals(-1, PtxImage.architectureFor(7, 0));     // V100: too old
    }

    @Test
    void ptxIsaFollowsTheDriver() {
        assertArrayEquals(new int[] {9, 0}, PtxImage.isaFor(13000));
        assertArrayEquals(new int[] {9, 0}, PtxImage.isaFor(13010));
        assertArrayEquals(new int[] {8, 0}, PtxImage.isaFor(12000));
        assertArrayEquals(new int[] {8, 4}, PtxImage.isaFor(12040));
        assertArrayEquals(new int[] {8, 8}, PtxImage.isaFor(12090));
        assertNull(PtxImage.isaFor(11080));
    }

    @Test
    void versionLineIsLoweredOnlyForOlderDrivers() {
        String ptx = "//\n.version 9.0\n.target sm_90\n.address_size 64\n";
        assertSame(ptx, PtxImage.forDriver(ptx, 13000));
        String lowered = PtxImage.forDriver(ptx, 12040);
        assertTrue(lowered.contains("\n.version 8.4\n.target sm_90\n"), lowered);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PtxImage.forDriver(ptx, 11080));
        assertTrue(e.getMessage().contains("CUDA 12.0 or newer"), e.getMessage());
    }
}
