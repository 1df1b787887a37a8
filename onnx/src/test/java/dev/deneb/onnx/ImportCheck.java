package dev.deneb.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.onnx.proto.ValueInfoProto;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a model with Deneb's importer and with ONNX Runtime, and compares every output. */
public final class ImportCheck {
    public static final double TOL = 1e-5;

    private ImportCheck() {}

    /** Deneb's outputs, in graph order, for inputs in graph-input order. */
    public static List<Tensor> runDeneb(ModelProto model, List<Tensor> inputs) {
        OnnxModel m = OnnxModel.of(model);
        Map<String, Tensor> feed = new LinkedHashMap<>();
        List<ValueInfoProto> declared = m.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            feed.put(declared.get(i).name(), inputs.get(i));
        }
        return new ArrayList<>(m.run(feed).values());
    }

    /** Asserts Deneb's outputs match ONNX Runtime's: same shapes and dtypes, values within {@code tol} of scale. */
    public static void againstOrt(ModelProto model, double tol, Tensor... inputs) {
        List<Tensor> want = OrtOracle.run(model, List.of(inputs));
        List<Tensor> got = runDeneb(model, List.of(inputs));
        assertEquals(want.size(), got.size(), "number of outputs");
        for (int i = 0; i < want.size(); i++) {
            String what = "output " + i + " (" + model.graph().outputs().get(i).name() + ")";
            assertEquals(want.get(i).dtype(), got.get(i).dtype(), what + " dtype");
            if (want.get(i).dtype().isFloating()) {
                OrtOracle.assertClose(what, want.get(i), got.get(i), tol);
            } else {
                assertArrayEquals(want.get(i).shape(), got.get(i).shape(), what + " shape");
                assertArrayEquals(want.get(i).to(dev.deneb.tensor.DType.I64).toLongArray(),
                        got.get(i).to(dev.deneb.tensor.DType.I64).toLongArray(), what + " values");
            }
        }
    }

    public static void againstOrt(ModelProto model, Tensor... inputs) {
        againstOrt(model, TOL, inputs);
    }

    /** A rank-0 INT64 tensor ({@code Tensor.of} without a shape makes a 1-D one). */
    public static Tensor longScalar(long v) {
        return Tensor.of(new long[] {v}).reshape();
    }

    /** Standard normal values of the given shape, seeded. */
    public static Tensor randn(long seed, int... shape) {
        return new Generator(seed).normal(0, 1, shape);
    }

    /** Uniform values in [lo, hi), seeded. */
    public static Tensor uniform(long seed, double lo, double hi, int... shape) {
        return new Generator(seed).uniform(lo, hi, shape);
    }
}
