package dev.deneb.onnx.export;

import dev.deneb.nn.Layer;
import dev.deneb.nn.graph.GATConv;
import dev.deneb.nn.graph.GCNConv;
import dev.deneb.nn.graph.SAGEConv;
import dev.deneb.onnx.ExportOptions;
import dev.deneb.onnx.OnnxExport;
import dev.deneb.onnx.OrtOracle;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Graph layers exported with a fixed graph (the edge index is part of the model, as for Cora's full-batch
 * training): message passing becomes Gather and ScatterElements, run by ONNX Runtime against Deneb.
 */
class ExportGraphLayersTest {
    record Case(String name, Function<Generator, Layer> model, BiFunction<Layer, Tensor, Function<Tensor, Tensor>> fwd) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("gcn", g -> new GCNConv(6, 4, GCNConv.Options.defaults().generator(g)),
                        (m, e) -> x -> ((GCNConv) m).forward(x, e)),
                new Case("gat", g -> new GATConv(6, 3, 2, GATConv.Options.defaults().generator(g)),
                        (m, e) -> x -> ((GATConv) m).forward(x, e)),
                new Case("sage", g -> new SAGEConv(6, 4, SAGEConv.Options.defaults().generator(g)),
                        (m, e) -> x -> ((SAGEConv) m).forward(x, e)))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void graphLayerMatchesOnnxRuntime(Case c) {
        Generator g = new Generator(7);
        int nodes = 9;
        Tensor edges = Tensor.of(new long[] {0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 2, 0, 1, 0, 2, 1, 3, 4, 6, 5, 8, 7, 4, 3},
                2, 12);
        Layer m = c.model().apply(g);
        m.eval();
        Function<Tensor, Tensor> f = c.fwd().apply(m, edges);
        Tensor x = g.normal(0, 1, nodes, 6);
        ModelProto model = OnnxExport.toModel(m, in -> List.of(f.apply(in.get(0))), List.of(x),
                ExportOptions.defaults().dynamicBatch(false));
        Tensor want;
        try (var s = GradMode.noGrad()) {
            want = f.apply(x);
        }
        OrtOracle.assertClose(c.name(), want, OrtOracle.run(model, List.of(x)).get(0), ExportAgainstOrtTest.TOL);
    }
}
