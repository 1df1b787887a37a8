package dev.deneb.optim;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the fixtures written by {@code src/test/python/make_optim_reference.py} and compares against them. */
final class TorchReference {
    private TorchReference() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String file) {
        try (InputStream in = TorchReference.class.getResourceAsStream("/torch-reference/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource torch-reference/" + file);
            }
            return new ObjectMapper().readValue(in, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases(Map<String, Object> fixture) {
        return (List<Map<String, Object>>) fixture.get("cases");
    }

    static Map<String, Object> caseNamed(Map<String, Object> fixture, String name) {
        for (Map<String, Object> c : cases(fixture)) {
            if (name.equals(c.get("name"))) {
                return c;
            }
        }
        throw new IllegalArgumentException("no fixture case " + name);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static double[] doubles(Object o) {
        List<Object> l = list(o);
        double[] out = new double[l.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = ((Number) l.get(k)).doubleValue();
        }
        return out;
    }

    static int[] ints(Object o) {
        double[] d = doubles(o);
        int[] out = new int[d.length];
        for (int k = 0; k < d.length; k++) {
            out[k] = (int) d[k];
        }
        return out;
    }

    /** {@code rows.get(k)} as doubles, for a list of lists. */
    static List<double[]> rows(Object o) {
        List<double[]> out = new ArrayList<>();
        for (Object r : list(o)) {
            out.add(doubles(r));
        }
        return out;
    }

    static Tensor tensor(double[] values, int[] shape, DType dtype) {
        return Tensor.of(values, shape).to(dtype);
    }

    static Tensor parameter(double[] values, int[] shape, DType dtype) {
        return tensor(values, shape, dtype).requiresGrad(true);
    }

    /** Fails unless {@code |actual - expected| <= atol + rtol * |expected|} element by element. */
    static void assertClose(double[] expected, double[] actual, double rtol, double atol, String what) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        for (int k = 0; k < expected.length; k++) {
            double err = Math.abs(actual[k] - expected[k]);
            if (!(err <= atol + rtol * Math.abs(expected[k]))) {
                fail(what + ": element " + k + " expected " + expected[k] + " got " + actual[k] + " (error " + err
                        + ")");
            }
        }
    }
}
