package dev.deneb.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Choosing and preparing the PTX text of a module for one device and driver. Pure Java (no native calls), so it is
 * tested on the CPU.
 */
final class PtxImage {
    private static final Pattern VERSION = Pattern.compile("(?m)^\\.version (\\d+)\\.(\\d+)\\s*$");

    private PtxImage() {}

    /** The newest shipped architecture not newer than the device's compute capability (e.g. 90 for 9.0, 80 for
     *  8.6), or -1 when the device is older than all of them. */
    static int architectureFor(int major, int minor) {
        int cc = major * 10 + minor;
        for (int arch : KernelCatalog.ARCHITECTURES) {
            if (arch <= cc) {
                return arch;
            }
        }
        return -1;
    }

    /**
     * The PTX ISA version a driver can JIT: CUDA 13.x drivers read ISA 9.0 (what nvcc 13.0 writes); CUDA 12.x
     * drivers read 8.x (12.0 → 8.0 … 12.5 → 8.5, 12.6 → 8.5, 12.8 → 8.7, 12.9 → 8.8). Returns {@code {major, minor}},
     * or null for drivers older than CUDA 12.
     */
    static int[] isaFor(int driverVersion) {
        int major = driverVersion / 1000;
        int minor = (driverVersion % 1000) / 10;
        if (major >= 13) {
            return new int[] {9, 0};
        }
        if (major == 12) {
            int[] isa = {0, 1, 2, 3, 4, 5, 5, 5, 7, 8};
            return new int[] {8, isa[Math.min(minor, isa.length - 1)]};
        }
        return null;
    }

    /**
     * Lowers the {@code .version} line when the driver is older than the compiler. Our kernels use no instruction
     * newer than PTX ISA 7.0 (sm_75), so the text is otherwise valid for the older ISA. Unverified on a CUDA 12
     * driver: see the README.
     */
    static String forDriver(String ptx, int driverVersion) {
        int[] isa = isaFor(driverVersion);
        if (isa == null) {
            throw new IllegalStateException("the NVIDIA driver supports CUDA " + driverVersion / 1000 + "."
                    + (driverVersion % 1000) / 10 + "; Deneb's kernels need CUDA 12.0 or newer");
        }
        Matcher m = VERSION.matcher(ptx);
        if (!m.find()) {
            throw new IllegalStateException("PTX without a .version line");
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major * 10 + minor <= isa[0] * 10 + isa[1]) {
            return ptx;
        }
        return m.replaceFirst(".version " + isa[0] + "." + isa[1]);
    }

    /** The shipped PTX text of a module. */
    static String load(String module, int arch) {
        String path = KernelCatalog.resource(module, arch);
        try (InputStream in = PtxImage.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("PTX resource " + path + " is missing from the deneb-cuda jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
