package dev.deneb.onnx;

import static dev.deneb.onnx.ImportCheck.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.onnx.proto.AttributeProto;
import dev.deneb.onnx.proto.GraphProto;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.onnx.proto.OperatorSetId;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the importer refuses, and that the messages name the node, the op and what was expected. */
class OnnxModelErrorsTest {
    static final Tensor X = randn(1, 2, 3);

    static String message(Runnable r) {
        return assertThrows(OnnxException.class, r::run).getMessage();
    }

    @Test
    void unknownOperatorsAreAllListedWithCounts() {
        ModelProto m = new GraphBuilder(17).input("x", X).node("Frobnicate", List.of("x"), "a")
                .node("Relu", List.of("a"), "b").node("Frobnicate", List.of("b"), "c")
                .node("Zorp", List.of("c"), "y").output("y").build();
        String msg = message(() -> OnnxModel.of(m));
        assertTrue(msg.contains("unsupported operators: Frobnicate (2 nodes), Zorp (1 node)"), msg);
    }

    @Test
    void opsetsOutsideTheRangeAreRefused() {
        for (long opset : new long[] {9, 12, 22}) {
            ModelProto m = new GraphBuilder(opset).input("x", X).node("Relu", List.of("x"), "y").output("y").build();
            assertEquals("opset " + opset + " is not supported (Deneb reads opsets 13 to 21)",
                    message(() -> OnnxModel.of(m)));
        }
        ModelProto none = new ModelProto(8, List.of(new OperatorSetId("com.example", 1)), "t", "0",
                new GraphBuilder(17).input("x", X).node("Relu", List.of("x"), "y").output("y").build().graph());
        assertTrue(message(() -> OnnxModel.of(none)).contains("imports no opset of the default ONNX domain"));
    }

    @Test
    void otherDomainsAreRefusedNamingDomainAndOp() {
        ModelProto m = new GraphBuilder(17).input("x", X).domain("com.microsoft")
                .node("FusedMatMul", List.of("x", "x"), "y").output("y").build();
        String msg = message(() -> OnnxModel.of(m));
        assertTrue(msg.contains("'FusedMatMul_0' (FusedMatMul) of domain 'com.microsoft'"), msg);
    }

    @Test
    void undefinedInputsAndOutputsAreRefused() {
        ModelProto m = new GraphBuilder(17).input("x", X).node("Add", List.of("x", "later"), "y")
                .node("Relu", List.of("x"), "later").output("y").build();
        String msg = message(() -> OnnxModel.of(m));
        assertTrue(msg.contains("node 'Add_0' (Add) reads 'later'") && msg.contains("topological order"), msg);
        ModelProto noOut = new GraphBuilder(17).input("x", X).node("Relu", List.of("x"), "y").output("z").build();
        assertTrue(message(() -> OnnxModel.of(noOut)).contains("graph output 'z' is not computed"));
    }

    @Test
    void wrongInputCountsAreRefused() {
        ModelProto m = new GraphBuilder(17).input("x", X).node("Add", List.of("x"), "y").output("y").build();
        assertEquals("node 'Add_0' (Add) has 1 input [x], Add takes 2", message(() -> OnnxModel.of(m)));
        ModelProto conv = new GraphBuilder(17).input("x", X).node("Conv", List.of("x", "x", "x", "x"), "y")
                .output("y").build();
        assertTrue(message(() -> OnnxModel.of(conv)).contains("Conv takes 2 to 3"));
    }

    @Test
    void inputsAreCheckedAgainstTheirDeclaration() {
        ModelProto m = new GraphBuilder(17).batchInput("x", X).node("Relu", List.of("x"), "y").output("y").build();
        OnnxModel model = OnnxModel.of(m);
        assertEquals(List.of("x"), model.inputNames());
        assertEquals(List.of("y"), model.outputNames());
        model.forward(randn(2, 7, 3));
        assertTrue(message(() -> model.forward(randn(2, 7, 4))).contains("declared with shape [batch, 3], got [7, 4]"));
        assertTrue(message(() -> model.forward(Tensor.zeros(DType.I64, 2, 3))).contains("declared f32"));
        assertTrue(message(() -> model.run(Map.of("x", X, "extra", X))).contains("'extra' is not an input"));
        assertTrue(message(() -> model.run(Map.of())).contains("no value given for graph input 'x'"));
    }

    @Test
    void forwardNeedsOneInputAndOneOutput() {
        ModelProto m = new GraphBuilder(17).input("a", X).input("b", X).node("Add", List.of("a", "b"), "y")
                .output("y").build();
        assertTrue(message(() -> OnnxModel.of(m).forward(X)).contains("use run(Map)"));
    }

    @Test
    void runtimeErrorsNameTheNodeAndShapes() {
        ModelProto m = new GraphBuilder(17).input("x", X).initializer("s", Tensor.of(new long[] {4, 4}, 2))
                .node("Reshape", List.of("x", "s"), "y").output("y").build();
        assertEquals("node 'Reshape_0' (Reshape): cannot reshape [2, 3] (6 elements) to [4, 4]",
                message(() -> OnnxModel.of(m).forward(X)));
        ModelProto mm = new GraphBuilder(17).input("x", X).node("MatMul", List.of("x", "x"), "y").output("y").build();
        String msg = message(() -> OnnxModel.of(mm).forward(X));
        assertTrue(msg.startsWith("node 'MatMul_0' (MatMul) failed on inputs f32[2, 3], f32[2, 3]: "), msg);
        ModelProto bad = new GraphBuilder(17).input("x", X).node("Softmax", List.of("x"), "y",
                AttributeProto.ofInt("axis", 5)).output("y").build();
        assertTrue(message(() -> OnnxModel.of(bad).forward(X)).contains("axis 5 is outside [-2, 1]"));
        ModelProto wrongType = new GraphBuilder(17).input("x", X).node("Softmax", List.of("x"), "y",
                AttributeProto.ofFloat("axis", 1)).output("y").build();
        assertTrue(message(() -> OnnxModel.of(wrongType).forward(X)).contains("attribute 'axis' should be of type INT"));
    }

    @Test
    void unsupportedVariantsAreRefusedClearly() {
        ModelProto bn = new GraphBuilder(17).input("x", X).initializer("s", Tensor.ones(3))
                .node("BatchNormalization", List.of("x", "s", "s", "s", "s"), "y", AttributeProto.ofInt("training_mode",
                        1)).output("y").build();
        assertTrue(message(() -> OnnxModel.of(bn).forward(X)).contains("training mode"));
        ModelProto dropout = new GraphBuilder(17).input("x", X).initializer("r", Tensor.scalar(0.5))
                .initializer("t", Tensor.of(new boolean[] {true}).reshape())
                .node("Dropout", List.of("x", "r", "t"), "y").output("y").build();
        assertTrue(message(() -> OnnxModel.of(dropout).forward(X)).contains("training_mode true is not supported"));
    }

    @Test
    void initializersBecomeParametersOrBuffersUnderTheirOnnxNames() {
        ModelProto m = new GraphBuilder(17).input("x", X)
                .initializer("fc1.weight", randn(2, 3, 3)).initializer("fc1.bias", randn(3, 3))
                .initializer("onnx::MatMul_7", randn(4, 3, 3)).initializer("shape", Tensor.of(new long[] {3, 2}, 2))
                .initializer("odd..name", Tensor.ones(1))
                .node("MatMul", List.of("x", "fc1.weight"), "a").node("Add", List.of("a", "fc1.bias"), "b")
                .node("MatMul", List.of("b", "onnx::MatMul_7"), "c").node("Reshape", List.of("c", "shape"), "d")
                .node("Mul", List.of("d", "odd..name"), "y").output("y").build();
        OnnxModel model = OnnxModel.of(m);
        assertEquals(Set.of("fc1.weight", "fc1.bias", "onnx::MatMul_7", "odd__name"),
                model.namedParameters().keySet());
        assertEquals(List.of("shape"), List.copyOf(model.namedBuffers().keySet()));
        assertTrue(model.initializer("fc1.weight").requiresGrad());
        assertTrue(model.parameters().contains(model.initializer("odd..name")));
        assertEquals(GraphProto.class, model.proto().graph().getClass());
    }
}
