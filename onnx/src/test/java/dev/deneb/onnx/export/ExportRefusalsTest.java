package dev.deneb.onnx.export;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.autograd.Autograd;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Linear;
import dev.deneb.onnx.ExportOptions;
import dev.deneb.onnx.OnnxException;
import dev.deneb.onnx.OnnxExport;
import dev.deneb.onnx.OrtOracle;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.tensor.Tensor;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What the tracer cannot express is refused with the op's name, and constants are folded. */
class ExportRefusalsTest {
    /** A model around a function of its input, with one linear layer so it has a parameter. */
    static Layer model(UnaryOperator<Tensor> f) {
        return new Layer() {
            final Linear lin = registerLayer("lin", new Linear(3, 3));

            @Override
            public Tensor forward(Tensor x) {
                return f.apply(lin.forward(x));
            }
        };
    }

    @Test
    void customOpIsRefusedByName() {
        Layer m = model(x -> Autograd.function("cube", x.detach().pow(3), g -> new Tensor[] {g}, x));
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxExport.toModel(m, Tensor.randn(2, 3)));
        assertTrue(e.getMessage().contains("'cube'"), e.getMessage());
    }

    @Test
    void linearAlgebraOnTheInputIsRefusedByName() {
        Layer m = model(x -> x.reshape(-1, 3, 3).inverse());
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxExport.toModel(m, Tensor.randn(3, 3)));
        assertTrue(e.getMessage().contains("'inverse'"), e.getMessage());
    }

    @Test
    void constantOfTheBatchShapeIsRefusedWithItsShape() {
        Layer m = model(x -> x.add(Tensor.ones(x.shape())));
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxExport.toModel(m, Tensor.randn(2, 3)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("batch"), e.getMessage());
        // With a fixed batch the same model exports and runs.
        Tensor x = Tensor.randn(2, 3);
        ModelProto fixed = OnnxExport.toModel(m, in -> List.of(m.forward(in.get(0))), List.of(x),
                ExportOptions.defaults().dynamicBatch(false));
        OrtOracle.assertClose("fixed batch", m.forward(x).detach(), OrtOracle.run(fixed, List.of(x)).get(0), 1e-5);
    }

    @Test
    void anIndexCountedFromTheEndOfTheBatchIsWrittenFromTheEnd() {
        // The last example of the batch: its index (batch size - 1) keeps its distance to the end.
        Layer m = model(x -> x.narrow(0, x.size(0) - 1, 1));
        ModelProto p = OnnxExport.toModel(m, Tensor.randn(2, 3));
        for (int b : new int[] {1, 4}) {
            Tensor x = Tensor.randn(b, 3);
            OrtOracle.assertClose("batch " + b, m.forward(x).detach(), OrtOracle.run(p, List.of(x)).get(0), 1e-5);
        }
    }

    @Test
    void aBoundThatFollowsTheBatchOtherwiseIsRefused() {
        // Columns up to the batch size plus one: neither a product of sizes nor a distance from the end.
        Layer m = new Layer() {
            @Override
            public Tensor forward(Tensor x) {
                return x.narrow(1, 0, x.size(0) + 1);
            }
        };
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxExport.toModel(m, Tensor.randn(1, 5)));
        assertTrue(e.getMessage().contains("slice bound"), e.getMessage());
    }

    @Test
    void constantsBuiltInForwardAreFolded() {
        // A table computed in forward from constants alone (no input) is one initializer, not a chain of ops.
        Layer m = model(x -> x.add(Tensor.arange(3).to(x.dtype()).mul(0.5).exp().reshape(1, 3)));
        ModelProto p = OnnxExport.toModel(m, Tensor.randn(2, 3));
        List<String> ops = p.graph().nodes().stream().map(n -> n.opType()).toList();
        assertTrue(!ops.contains("Exp") && !ops.contains("Mul"), "ops: " + ops);
        Tensor x = Tensor.randn(4, 3);
        OrtOracle.assertClose("folded", m.forward(x).detach(), OrtOracle.run(p, List.of(x)).get(0), 1e-5);
    }
}
