package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuCachesTest {
    @Test
    void parsesTheSizeSpellingsLinuxUses() {
        assertEquals(1024L * 1024, CpuCaches.parseSize("1024K"));
        assertEquals(1024L * 1024, CpuCaches.parseSize(" 1024 KB"));
        assertEquals(2L << 20, CpuCaches.parseSize("2M"));
        assertEquals(2L << 20, CpuCaches.parseSize("2 MiB"));
        assertEquals(0, CpuCaches.parseSize("lots"));
        assertEquals(0, CpuCaches.parseSize(""));
    }

    @Test
    void readsTheLevelTwoCacheFromSysfsSkippingInstructionCaches(@TempDir Path dir) throws IOException {
        index(dir, 0, "1", "Data", "48K");
        index(dir, 1, "1", "Instruction", "32K");
        index(dir, 2, "2", "Unified", "2048K");
        index(dir, 3, "3", "Unified", "32768K");
        assertEquals(2048L * 1024, CpuCaches.fromSysfs(dir));
        assertEquals(0, CpuCaches.fromSysfs(dir.resolve("missing")));
    }

    @Test
    void trustsCpuinfoCacheSizeOnlyOnAmd() {
        assertEquals(1024L * 1024, CpuCaches.fromCpuinfo(List.of("vendor_id\t: AuthenticAMD", "cache size\t: 1024 KB")));
        assertEquals(0, CpuCaches.fromCpuinfo(List.of("vendor_id\t: GenuineIntel", "cache size\t: 36608 KB")));
        assertEquals(0, CpuCaches.fromCpuinfo(List.of()));
    }

    @Test
    void sizesPackedRowBlocksToTheCache() {
        assertEquals(168, SgemmSettings.rowsForL2(1L << 20, 1024));
        assertEquals(84, SgemmSettings.rowsForL2(512L << 10, 1024));
        assertEquals(SgemmSettings.MR, SgemmSettings.rowsForL2(1024, 1024));
        assertEquals(64 * SgemmSettings.MR, SgemmSettings.rowsForL2(1L << 40, 1024));
        assertTrue(SgemmSettings.MC % SgemmSettings.MR == 0);
        for (int kc : new int[] {1, 64, 1000, 1024, 1500, 2048, 4096}) {
            int rows = SgemmSettings.rowsFor(kc);
            assertTrue(rows % SgemmSettings.MR == 0 && rows >= SgemmSettings.MR, "kc=" + kc + ": " + rows);
            // Up to 1024 deep the block has MC rows; deeper, as many floats as MC rows of 1024 (whole panels).
            assertTrue(kc <= 1024 ? rows == SgemmSettings.MC
                    : (long) rows * kc <= 1024L * SgemmSettings.MC || rows == SgemmSettings.MR, "kc=" + kc);
        }
    }

    @Test
    void keepsPackedBBlocksWithinEightMegabytes() {
        for (int kc : new int[] {1, 64, 1000, 1024, 1025, 1500, 2048, 4096, 100_000}) {
            int cols = SgemmSettings.columnsFor(kc);
            assertTrue(cols % SgemmSettings.NR == 0 && cols >= SgemmSettings.NR, "kc=" + kc + ": " + cols);
            assertTrue(cols <= SgemmSettings.NC, "kc=" + kc + ": " + cols);
            assertTrue((long) cols * kc <= 2L << 20 || cols == SgemmSettings.NR, "kc=" + kc + ": " + cols);
        }
        assertEquals(SgemmSettings.NC, SgemmSettings.columnsFor(1024));
        assertEquals(1024, SgemmSettings.columnsFor(2048));
    }

    private static void index(Path dir, int i, String level, String type, String size) throws IOException {
        Path p = Files.createDirectories(dir.resolve("index" + i));
        Files.writeString(p.resolve("level"), level + "\n");
        Files.writeString(p.resolve("type"), type + "\n");
        Files.writeString(p.resolve("size"), size + "\n");
    }
}
