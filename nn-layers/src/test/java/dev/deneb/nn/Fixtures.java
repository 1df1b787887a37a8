package dev.deneb.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.deneb.nn.io.SafeTensors;
import dev.deneb.tensor.Tensor;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/** Test helpers: the committed reference files and a relative+absolute closeness check. */
public final class Fixtures {
    private Fixtures() {}

    /** The tolerance of the PyTorch parity tests: |deneb - torch| <= ATOL + RTOL·|torch|, element by element. */
    public static final double RTOL = 1e-5;
    public static final double ATOL = 1e-5;

    private static SafeTensors.Contents nnReference;

    /** A test resource as a path ({@code name} relative to the resources root, e.g. "interop/x.safetensors"). */
    public static Path resource(String name) {
        URL url = Fixtures.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource '" + name + "' is missing; regenerate it with the scripts"
                    + " in nn-layers/src/test/python");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** All tensors of nn-reference/nn_reference.safetensors (read once). */
    public static synchronized Map<String, Tensor> nnReference() {
        if (nnReference == null) {
            nnReference = SafeTensors.load(resource("nn-reference/nn_reference.safetensors"));
        }
        return nnReference.tensors();
    }

    /** The case names of the reference file that have the given key suffix (e.g. ".output"). */
    public static TreeSet<String> cases() {
        TreeSet<String> out = new TreeSet<>();
        for (String k : nnReference().keySet()) {
            out.add(k.substring(0, k.indexOf('.')));
        }
        return out;
    }

    /** The tensors of one case whose key starts with {@code case.prefix.}, with that prefix removed. */
    public static Map<String, Tensor> group(String caseName, String prefix) {
        String p = caseName + "." + prefix + ".";
        Map<String, Tensor> out = new LinkedHashMap<>();
        nnReference().forEach((k, v) -> {
            if (k.startsWith(p)) {
                out.put(k.substring(p.length()), v);
            }
        });
        return out;
    }

    /** One tensor of a case ({@code case.what}), or null. */
    public static Tensor get(String caseName, String what) {
        return nnReference().get(caseName + "." + what);
    }

    /** Asserts equal shapes and |actual − expected| <= atol + rtol·|expected| everywhere. */
    public static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double excess = Math.abs(a[i] - e[i]) - (atol + rtol * Math.abs(e[i]));
            if (!(excess <= 0) && (at < 0 || !(excess <= worst))) {
                worst = excess;
                at = i;
            }
        }
        if (at >= 0) {
            fail(what + ": element " + at + " is " + a[at] + ", expected " + e[at] + " (|diff| = "
                    + Math.abs(a[at] - e[at]) + ", tolerance " + atol + " + " + rtol + "·|expected|)");
        }
    }

    public static void assertClose(Tensor expected, Tensor actual, String what) {
        assertClose(expected, actual, RTOL, ATOL, what);
    }
}
