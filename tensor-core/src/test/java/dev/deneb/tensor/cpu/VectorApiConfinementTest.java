package dev.deneb.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule that lets Deneb run without {@code --add-modules jdk.incubator.vector} ({@link VectorSupport}): only the
 * listed classes mention a Vector API type, and none of them is public, so no public signature exposes one (a
 * consumer's javac never needs the flag) and every other class links in a JVM without the module. A new vector
 * kernel goes in a class of its own, reached only behind {@link VectorSupport#ENABLED}, and is added here.
 */
class VectorApiConfinementTest {
    private static final Set<String> VECTOR_CLASSES = Set.of(
            "ConvVectorRows", "GruVectorRuns", "LstmVectorRuns", "MaxPoolVectorRows", "RowNormVectorRuns", "SoftmaxVectorRuns",
            "SgemmDirect", "SgemmDot", "SgemmMicroKernel", "SgemmNarrow", "SgemmTranspose", "SgemmVectorPacking",
            "SparseVectorRows", "VectorKernels", "VectorMath", "VectorProbe");

    @Test
    void onlyTheVectorKernelClassesMentionTheVectorApi() throws Exception {
        Path root = Path.of(FastCpuBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(root), "expected tensor-core's compiled classes in a folder, got " + root);
        Set<String> mentioning = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                if (mentionsVectorApi(f)) {
                    mentioning.add(root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""));
                }
            }
        }
        Set<String> expected = new TreeSet<>();
        for (String simple : VECTOR_CLASSES) {
            expected.add("dev.deneb.tensor.cpu." + simple);
        }
        assertEquals(expected, mentioning, "classes whose bytecode names a jdk.incubator.vector type");
        for (String name : expected) {
            Class<?> c = Class.forName(name, false, getClass().getClassLoader());
            assertFalse(Modifier.isPublic(c.getModifiers()), name + " must not be public");
        }
    }

    /** Whether the class file's constant pool names the package (internal form, as in {@code Ljdk/incubator/...}). */
    private static boolean mentionsVectorApi(Path classFile) throws IOException {
        String bytes = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
        return bytes.contains("jdk/incubator/vector/");
    }
}
