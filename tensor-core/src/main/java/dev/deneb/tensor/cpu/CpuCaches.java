package dev.deneb.tensor.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The per-core L2 cache size as the operating system reports it, for sizing GEMM blocks to the CPU at hand. Linux
 * lists caches in sysfs; virtual machines often leave that out, and then AMD CPUs still name their L2 as
 * "cache size" in /proc/cpuinfo (Intel's names the L3 there, so it is not trusted). Anything else: 1 MiB.
 */
final class CpuCaches {
    static final long DEFAULT_L2 = 1L << 20;

    private CpuCaches() {}

    static long l2Bytes() {
        long sysfs = fromSysfs(Path.of("/sys/devices/system/cpu/cpu0/cache"));
        if (sysfs > 0) {
            return sysfs;
        }
        long cpuinfo = fromCpuinfo(read(Path.of("/proc/cpuinfo")));
        return cpuinfo > 0 ? cpuinfo : DEFAULT_L2;
    }

    /** The size of the level-2 data or unified cache under {@code dir/index*}, or 0 when not listed. */
    static long fromSysfs(Path dir) {
        for (int i = 0; i < 8; i++) {
            Path index = dir.resolve("index" + i);
            if (line(index.resolve("level")).equals("2") && !line(index.resolve("type")).equals("Instruction")) {
                return parseSize(line(index.resolve("size")));
            }
        }
        return 0;
    }

    /** "cache size : 1024 KB" of an AMD CPU, or 0. */
    static long fromCpuinfo(List<String> lines) {
        boolean amd = lines.stream().anyMatch(l -> l.startsWith("vendor_id") && l.contains("AuthenticAMD"));
        if (!amd) {
            return 0;
        }
        return lines.stream().filter(l -> l.startsWith("cache size")).findFirst()
                .map(l -> parseSize(l.substring(l.indexOf(':') + 1))).orElse(0L);
    }

    /** "1024K", "1024 KB", "2M", "2 MiB" to bytes; 0 when unreadable. */
    static long parseSize(String text) {
        String t = text.trim().toUpperCase().replace("IB", "").replace("B", "").trim();
        if (t.isEmpty()) {
            return 0;
        }
        long unit = switch (t.charAt(t.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            default -> 1;
        };
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1).trim();
        try {
            return Long.parseLong(digits) * unit;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String line(Path p) {
        List<String> lines = read(p);
        return lines.isEmpty() ? "" : lines.get(0).trim();
    }

    private static List<String> read(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException | SecurityException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }
}
