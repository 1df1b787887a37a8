package dev.deneb.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "A first look" compiles and runs as written: the Java block under that heading is taken from
 * README.md, compiled with the JDK's compiler against the test class path (wildcard imports and all) and run.
 */
class ReadmeFirstLookTest {
    @TempDir
    Path dir;

    @Test
    void firstLookCompilesAndRunsAsWritten() throws Exception {
        String code = firstLookBlock();
        assertTrue(code.contains("import dev.deneb.nn.*;"), "the snippet uses wildcard imports");
        Path source = dir.resolve("FirstLook.java");
        Files.writeString(source, code);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-d", dir.toString(), "-cp",
                System.getProperty("java.class.path"), source.toString());
        assertTrue(rc == 0, "the README's first look does not compile:\n" + diagnostics);

        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()},
                getClass().getClassLoader())) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            Method main = loader.loadClass("FirstLook").getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(saved);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("shape=[2]") && printed.contains("loss ")
                && printed.contains("tensor([ 3.0000, 12.0000, 27.0000]") && printed.contains("tensor([ 6.0000, 12.0000, 18.0000]"),
                printed);
    }

    /** The first ```java block after the "## A first look" heading of the README at the project root. */
    static String firstLookBlock() throws IOException {
        Path readme = Path.of("README.md").toAbsolutePath();
        for (Path d = Path.of("").toAbsolutePath(); d != null && !Files.exists(readme); d = d.getParent()) {
            readme = d.resolve("README.md");
        }
        String text = Files.readString(readme);
        int heading = text.indexOf("## A first look");
        assertTrue(heading >= 0, "README.md has no '## A first look' section");
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(text);
        assertTrue(m.find(heading), "no java block after '## A first look'");
        return m.group(1);
    }
}
