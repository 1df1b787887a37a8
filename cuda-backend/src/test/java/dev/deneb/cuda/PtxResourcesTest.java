package dev.deneb.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped PTX: it defines exactly the kernels the backend launches, for every architecture; it was built by
 * {@code scripts/build-ptx.sh} from the current sources (its manifest {@code SOURCES.sha256}, checked everywhere,
 * without nvcc); it assembles (with {@code ptxas}, when installed) for its own architecture and for the PTX ISA of
 * CUDA 12.0 drivers; and {@code scripts/build-ptx.sh} regenerates it byte for byte (when {@code nvcc} is installed).
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

    // ---- the manifest: no nvcc needed ----

    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path PTX_DIR = MODULE.resolve("src/main/resources/dev/deneb/cuda/ptx");
    static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *](\\S+)");

    /**
     * Everything in which the manifest in {@code ptxDir} disagrees with the files (empty when the PTX was built by
     * the script from the current sources): a changed, added or removed source, a PTX file changed or not built
     * with the rest, or architectures other than the shipped ones.
     */
    static List<String> manifestProblems(Path module, Path ptxDir) throws IOException {
        List<String> p = new ArrayList<>();
        Path manifest = ptxDir.resolve("SOURCES.sha256");
        if (!Files.isRegularFile(manifest)) {
            return List.of(manifest + " is missing: run cuda-backend/scripts/build-ptx.sh");
        }
        Map<String, String> listed = new TreeMap<>();
        String archs = null;
        for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
            if (line.startsWith("# archs:")) {
                archs = line.substring("# archs:".length()).strip();
            } else if (!line.startsWith("#") && !line.isBlank()) {
                Matcher m = LINE.matcher(line.strip());
                if (!m.matches()) {
                    p.add("unreadable manifest line: " + line);
                } else {
                    listed.put(m.group(2), m.group(1));
                }
            }
        }
        List<String> expectedArchs = KernelCatalog.ARCHITECTURES.stream().sorted().map(String::valueOf).toList();
        if (archs == null || !Arrays.asList(archs.split("\\s+")).stream().sorted().toList().equals(expectedArchs)) {
            p.add("built for architectures '" + archs + "', expected " + expectedArchs);
        }
        // Every input and output there is now, and nothing else.
        TreeSet<String> present = new TreeSet<>();
        present.add("scripts/build-ptx.sh");
        try (Stream<Path> src = Files.list(module.resolve("src/main/cuda"))) {
            src.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".cu") || n.endsWith(".cuh"))
                    .forEach(n -> present.add("src/main/cuda/" + n));
        }
        try (Stream<Path> ptx = Files.list(ptxDir)) {
            ptx.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".ptx")).forEach(present::add);
        }
        for (String name : present) {
            if (!listed.containsKey(name)) {
                p.add(name + " is not in the manifest (new, or not built with the rest)");
            }
        }
        for (Map.Entry<String, String> e : listed.entrySet()) {
            String name = e.getKey();
            Path f = name.contains("/") ? module.resolve(name) : ptxDir.resolve(name);
            if (!Files.isRegularFile(f)) {
                p.add(name + " is in the manifest but no longer exists");
            } else if (!matches(e.getValue(), Files.readAllBytes(f))) {
                p.add(name + " changed since the PTX was built");
            }
        }
        return p;
    }

    /** The hash of the bytes, or of the bytes with CRLF line ends turned into LF (a Windows checkout). */
    private static boolean matches(String sha256, byte[] bytes) {
        if (sha256.equals(sha256(bytes))) {
            return true;
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        return text.contains("\r\n")
                && sha256.equals(sha256(text.replace("\r\n", "\n").getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shippedPtxWasBuiltFromTheCurrentSources() throws IOException {
        List<String> p = manifestProblems(MODULE, PTX_DIR);
        assertTrue(p.isEmpty(), "the shipped PTX is stale: run cuda-backend/scripts/build-ptx.sh and commit the .ptx"
                + " files and SOURCES.sha256\n  " + String.join("\n  ", p));
    }

    /** The check itself, on a copy of the module: an edited source, an edited PTX file, a new source, a deleted PTX
     *  file and a partial rebuild (fewer architectures) are each reported. */
    @Test
    void manifestCheckCatchesStaleOrPartialPtx(@TempDir Path tmp) throws IOException {
        Path module = tmp.resolve("m");
        Path ptx = module.resolve("src/main/resources/dev/deneb/cuda/ptx");
        copyTree(MODULE.resolve("src/main/cuda"), module.resolve("src/main/cuda"));
        copyTree(MODULE.resolve("scripts"), module.resolve("scripts"));
        copyTree(PTX_DIR, ptx);
        writeManifest(module, ptx);   // consistent, whatever the state of the real tree
        assertEquals(List.of(), manifestProblems(module, ptx), "a fresh manifest");

        Files.writeString(module.resolve("src/main/cuda/reduce.cu"), "// edited\n", StandardOpenOption.APPEND);
        Files.writeString(ptx.resolve("conv.compute_80.ptx"), "// edited\n", StandardOpenOption.APPEND);
        Files.writeString(module.resolve("src/main/cuda/extra.cu"), "// new\n");
        Files.delete(ptx.resolve("optim.compute_75.ptx"));
        Path manifest = ptx.resolve("SOURCES.sha256");
        Files.writeString(manifest, Files.readString(manifest).replace("# archs: 75 80 90", "# archs: 90"));
        String all = String.join("\n", manifestProblems(module, ptx));
        assertTrue(all.contains("src/main/cuda/reduce.cu changed"), all);
        assertTrue(all.contains("conv.compute_80.ptx changed"), all);
        assertTrue(all.contains("src/main/cuda/extra.cu is not in the manifest"), all);
        assertTrue(all.contains("optim.compute_75.ptx is in the manifest but no longer exists"), all);
        assertTrue(all.contains("built for architectures '90'"), all);

        // CRLF line ends (a Windows checkout) are not staleness.
        Path common = module.resolve("src/main/cuda/common.cuh");
        Files.writeString(common, Files.readString(common).replace("\n", "\r\n"));
        assertTrue(manifestProblems(module, ptx).stream().noneMatch(s -> s.contains("common.cuh")));
    }

    /** What build-ptx.sh writes, for the files as they are (without running nvcc). */
    private static void writeManifest(Path module, Path ptxDir) throws IOException {
        StringBuilder m = new StringBuilder("# archs: 75 80 90\n");
        List<Path> inputs = new ArrayList<>(List.of(module.resolve("scripts/build-ptx.sh")));
        try (Stream<Path> src = Files.list(module.resolve("src/main/cuda"))) {
            inputs.addAll(src.sorted().toList());
        }
        for (Path f : inputs) {
            m.append(sha256(Files.readAllBytes(f))).append("  ").append(module.relativize(f).toString()
                    .replace('\\', '/')).append('\n');
        }
        try (Stream<Path> ptx = Files.list(ptxDir)) {
            for (Path f : ptx.filter(x -> x.toString().endsWith(".ptx")).sorted().toList()) {
                m.append(sha256(Files.readAllBytes(f))).append("  ").append(f.getFileName()).append('\n');
            }
        }
        Files.writeString(ptxDir.resolve("SOURCES.sha256"), m);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
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
