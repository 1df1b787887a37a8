package dev.deneb.onnx.runtime;

import static dev.deneb.onnx.ImportCheck.againstOrt;
import static dev.deneb.onnx.ImportCheck.randn;

import dev.deneb.onnx.GraphBuilder;
import dev.deneb.onnx.ImportCheck;
import dev.deneb.onnx.OrtOracle;
import dev.deneb.onnx.proto.AttributeProto;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LSTM, GRU (both reset placements) and RNN against ONNX Runtime: every direction, with and without biases, initial
 * states and sequence lengths, in both layouts.
 */
class RecurrentOpsTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String op : new String[] {"LSTM", "GRU", "GRU lbr", "RNN", "RNN relu"}) {
            for (String direction : new String[] {"forward", "reverse", "bidirectional"}) {
                for (int variant = 0; variant < 3; variant++) {
                    out.add(Arguments.of(op, direction, variant));
                }
            }
        }
        return out.stream();
    }

    /**
     * @param variant 0: X, W, R only; 1: bias, sequence lengths, initial states; 2: like 1 in layout 1 (batch first),
     *                which ONNX Runtime does not run: compared with its layout-0 result, transposed
     */
    @ParameterizedTest(name = "{0} {1} variant {2}")
    @MethodSource("cases")
    void matchesOrt(String name, String direction, int variant) {
        long seed = name.hashCode() * 31L + direction.hashCode() + variant;
        Tensor x = randn(seed, 5, 3, 4);
        if (variant < 2) {
            againstOrt(model(name, direction, variant > 0, false, seed), x);
            return;
        }
        List<Tensor> want = OrtOracle.run(model(name, direction, true, false, seed), List.of(x));
        List<Tensor> got = ImportCheck.runDeneb(model(name, direction, true, true, seed), List.of(x.transpose(0, 1)));
        OrtOracle.assertClose("Y", want.get(0), got.get(0).permute(1, 2, 0, 3), ImportCheck.TOL);
        for (int k = 1; k < want.size(); k++) {
            OrtOracle.assertClose("state " + k, want.get(k), got.get(k).transpose(0, 1), ImportCheck.TOL);
        }
    }

    /** A graph of one recurrent node; X is [5, 3, 4] (or [3, 5, 4] batch first), hidden size 3. */
    static ModelProto model(String name, String direction, boolean full, boolean batchFirst, long seed) {
        String op = name.split(" ")[0];
        int gates = switch (op) {
            case "LSTM" -> 4;
            case "GRU" -> 3;
            default -> 1;
        };
        int dirs = direction.equals("bidirectional") ? 2 : 1;
        int t = 5;
        int b = 3;
        int in = 4;
        int h = 3;
        List<AttributeProto> attrs = new ArrayList<>(List.of(AttributeProto.ofInt("hidden_size", h),
                AttributeProto.ofString("direction", direction)));
        if (name.endsWith("lbr")) {
            attrs.add(AttributeProto.ofInt("linear_before_reset", 1));
        }
        if (name.endsWith("relu")) {
            List<byte[]> acts = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                acts.add("Relu".getBytes(StandardCharsets.UTF_8));
            }
            attrs.add(new AttributeProto("activations", AttributeProto.Type.STRINGS, 0, 0, null, null, null, null,
                    null, acts));
        }
        if (batchFirst) {
            attrs.add(AttributeProto.ofInt("layout", 1));
        }
        GraphBuilder g = new GraphBuilder(17).input("x", Tensor.zeros(batchFirst ? new int[] {b, t, in}
                        : new int[] {t, b, in}))
                .initializer("w", randn(seed + 1, dirs, gates * h, in).mul(0.5))
                .initializer("r", randn(seed + 2, dirs, gates * h, h).mul(0.5));
        List<String> inputs = new ArrayList<>(List.of("x", "w", "r"));
        if (full) {
            g.initializer("b", randn(seed + 3, dirs, 2 * gates * h).mul(0.5));
            g.initializer("lens", Tensor.of(new int[] {5, 2, 4}, 3));
            Tensor h0 = randn(seed + 4, dirs, b, h);
            g.initializer("h0", batchFirst ? h0.transpose(0, 1) : h0);
            inputs.addAll(List.of("b", "lens", "h0"));
            if (op.equals("LSTM")) {
                Tensor c0 = randn(seed + 5, dirs, b, h);
                g.initializer("c0", batchFirst ? c0.transpose(0, 1) : c0);
                inputs.add("c0");
            }
        }
        List<String> outputs = op.equals("LSTM") ? List.of("y", "yh", "yc") : List.of("y", "yh");
        g.node(op, inputs, outputs, attrs.toArray(AttributeProto[]::new));
        g.output(outputs.toArray(String[]::new));
        return g.build();
    }
}
