package dev.deneb.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped PTX: it defines exactly the kernels the backend launches, for every architecture; it assembles (with
 * {@code ptxas}, when installed) for its own architecture and for the PTX ISA of CUDA 12.0 drivers; and
 * {@code scripts/build-ptx.sh} regenerates it byte for byte (when {@code nvcc} is installed).
 */
class PtxResourcesTest {
    static final Path NVCC = Path.of(System.getProperty("deneb.cuda.nvcc", "/usr/local/cuda-13.0/bin/nvcc"));
    static final Path PTXAS = NVCC.resolveSibling("ptxas");
    static final Pattern ENTRY = Pattern.compile("\\.visible \\.entry (\\w+)\\(");

    static TreeSet<String> entries(String ptx) {
        TreeSet<String> names = new TreeSet<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void everyCatalogedKernelIsShippedForEveryArchitecture() {
        for (String module : KernelCatalog.MODULES) {
            TreeSet<String> expected = new TreeSet<>();
            KernelCatalog.entries().forEach((k, m) -> {
                if (m.equals(module)) {
                    expected.add(k);
                }
            });
            assertFalse(expected.isEmpty(), module);
            for (int arch : KernelCatalog.ARCHITECTURES) {
                String ptx = PtxImage.load(module, arch);
                assertEquals(expected, entries(ptx), module + " for compute_" + arch);
                assertTrue(ptx.contains("\n.target sm_" + arch + "\n"), module + " targets sm_" + arch);
                // Every entry's parameters can be read, so launches can be checked against them.
                assertEquals(expected, new TreeSet<>(PtxSignatures.parse(ptx).keySet()));
            }
        }
    }

    @Test
    void architecturesDifferOnlyInTheirTargetLine() {
        for (String module : KernelCatalog.MODULES) {
            String base = PtxImage.load(module, 90).replace(".target sm_90", ".target X");
            for (int arch : KernelCatalog.ARCHITECTURES) {
                assertEquals(base, PtxImage.load(module, arch).replace(".target sm_" + arch, ".target X"),
                        module + " compute_" + arch);
            }
        }
    }

    @Test
    void kernelSignaturesAreAsTheHostCodeExpects() {
        Map<String, List<Integer>> sig = PtxSignatures.parse(PtxImage.load("elementwise", 90));
        assertEquals(List.of(4, KernelView.BYTES, 8, 8, 8), sig.get("deneb_unary_f32"));
        assertEquals(List.of(KernelView.BYTES, 8, 8, 8), sig.get("deneb_fill_f64"));
        Map<String, List<Integer>> conv = PtxSignatures.parse(PtxImage.load("conv", 90));
        assertEquals(List.of(14 * 4, 8, 8), conv.get("deneb_im2col_f32"));
        assertEquals(List.of(14 * 4, 8, 8, 8), conv.get("deneb_maxpool_fwd_f64"));
    }

    /** Runs ptxas on the oldest architecture's PTX, once as shipped and once lowered to PTX ISA 8.0 (CUDA 12.0). */
    @Test
    void ptxAssemblesForItsArchitectureAndForCuda12Drivers(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PTXAS), "ptxas not installed at " + PTXAS + ": PTX not assembled");
        int arch = KernelCatalog.ARCHITECTURES.getLast();
        for (String module : KernelCatalog.MODULES) {
            String ptx = PtxImage.load(module, arch);
            for (int driver : new int[] {13000, 12000}) {
                Path in = tmp.resolve(module + "." + driver + ".ptx");
                Files.writeString(in, PtxImage.forDriver(ptx, driver), StandardCharsets.US_ASCII);
                run(List.of(PTXAS.toString(), "-arch=sm_" + arch, "-o", tmp.resolve("out.cubin").toString(),
                        in.toString()), "ptxas " + module + " for a CUDA " + driver / 1000 + " driver");
            }
        }
    }

    /** build-ptx.sh for the newest architecture reproduces the shipped files (the others differ only in .target). */
    @Test
    void buildScriptRegeneratesTheShippedPtx(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(NVCC), "nvcc not installed at " + NVCC + ": PTX not regenerated");
        Path script = Path.of("scripts/build-ptx.sh").toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(script), "scripts/build-ptx.sh not found from " + Path.of("").toAbsolutePath());
        int arch = KernelCatalog.ARCHITECTURES.getFirst();
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), tmp.toString());
        pb.environment().put("NVCC", NVCC.toString());
        pb.environment().put("ARCHS", Integer.toString(arch));
        run(pb, "build-ptx.sh");
        for (String module : KernelCatalog.MODULES) {
            String fresh = Files.readString(tmp.resolve(module + ".compute_" + arch + ".ptx"));
            assertEquals(PtxImage.load(module, arch), fresh, module + ".compute_" + arch
                    + ".ptx is stale: run cuda-backend/scripts/build-ptx.sh and commit the result");
        }
    }

    private static void run(List<String> command, String what) throws Exception {
        run(new ProcessBuilder(command), what);
    }

    private static void run(ProcessBuilder pb, String what) throws IOException, InterruptedException {
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), what + " timed out");
        assertEquals(0, p.exitValue(), what + " failed:\n" + new String(out, StandardCharsets.UTF_8));
    }

}
