package dev.deneb.onnx.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deneb.nn.Activation;
import dev.deneb.nn.AdaptiveAvgPool2d;
import dev.deneb.nn.AvgPool2d;
import dev.deneb.nn.BatchNorm1d;
import dev.deneb.nn.BatchNorm2d;
import dev.deneb.nn.Conv1d;
import dev.deneb.nn.Conv2d;
import dev.deneb.nn.ConvTranspose1d;
import dev.deneb.nn.ConvTranspose2d;
import dev.deneb.nn.Dropout;
import dev.deneb.nn.Embedding;
import dev.deneb.nn.Flatten;
import dev.deneb.nn.GroupNorm;
import dev.deneb.nn.InstanceNorm2d;
import dev.deneb.nn.Layer;
import dev.deneb.nn.LayerNorm;
import dev.deneb.nn.Linear;
import dev.deneb.nn.MaxPool1d;
import dev.deneb.nn.MaxPool2d;
import dev.deneb.nn.PReLU;
import dev.deneb.nn.Sequential;
import dev.deneb.nn.Unflatten;
import dev.deneb.nn.Upsample;
import dev.deneb.nn.attention.MultiheadAttention;
import dev.deneb.nn.attention.TransformerDecoderLayer;
import dev.deneb.nn.attention.TransformerEncoderLayer;
import dev.deneb.nn.attention.TransformerOptions;
import dev.deneb.nn.recurrent.GRU;
import dev.deneb.nn.recurrent.LSTM;
import dev.deneb.nn.recurrent.RNN;
import dev.deneb.nn.recurrent.RecurrentOptions;
import dev.deneb.onnx.ExportOptions;
import dev.deneb.onnx.OnnxExport;
import dev.deneb.onnx.OnnxModel;
import dev.deneb.onnx.OrtOracle;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.onnx.proto.OnnxFormat;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer of nn-layers exported and run by ONNX Runtime, matching Deneb within 1e-5 relative to scale, at the
 * example's batch size and at another (the batch axis is symbolic).
 */
class ExportAgainstOrtTest {
    static final double TOL = 1e-5;

    /** A model, its forward over the graph inputs, and inputs for a batch size. */
    record Case(String name, Supplier<Layer> model, Function<Layer, Function<List<Tensor>, List<Tensor>>> forward,
                IntFunction<List<Tensor>> inputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case single(String name, Supplier<Layer> model, int... shapeAfterBatch) {
        return new Case(name, model, m -> in -> List.of(m.forward(in.get(0))), b -> List.of(randn(b, shapeAfterBatch)));
    }

    static Tensor randn(int batch, int... rest) {
        int[] s = new int[rest.length + 1];
        s[0] = batch;
        System.arraycopy(rest, 0, s, 1, rest.length);
        return new Generator(batch * 7919L + rest.length).normal(0, 1, s);
    }

    static Generator gen() {
        return new Generator(42);
    }

    static Stream<Arguments> cases() {
        RecurrentOptions bf = RecurrentOptions.defaults().batchFirst(true).generator(gen());
        TransformerOptions tf = TransformerOptions.defaults().dimFeedforward(32).batchFirst(true).generator(gen());
        return Stream.of(
                single("linear", () -> new Linear(5, 3, Linear.Options.defaults().generator(gen())), 5),
                single("linear 3-D", () -> new Linear(5, 3, Linear.Options.defaults().generator(gen())), 4, 5),
                single("mlp activations", () -> new Sequential(new Linear(6, 8, Linear.Options.defaults()
                        .generator(gen())), Activation.relu(), new Linear(8, 8, Linear.Options.defaults()
                        .generator(gen())), Activation.gelu(), Activation.silu(), Activation.tanh(),
                        Activation.sigmoid(), Activation.leakyRelu(0.1), Activation.elu(1.0), Activation.hardswish(),
                        Activation.softmax(1), Activation.logSoftmax(1)), 6),
                single("conv1d", () -> new Conv1d(3, 4, 3, Conv1d.Options.defaults().generator(gen()).padding(1)
                        .stride(2)), 3, 11),
                single("conv2d groups dilation", () -> new Conv2d(4, 6, 3, Conv2d.Options.defaults().generator(gen())
                        .groups(2).dilation(2).padding(1)), 4, 9, 9),
                single("convTranspose1d", () -> new ConvTranspose1d(3, 2, 3, ConvTranspose1d.Options.defaults()
                        .generator(gen()).stride(2)), 3, 7),
                single("convTranspose2d", () -> new ConvTranspose2d(3, 4, 3, ConvTranspose2d.Options.defaults()
                        .generator(gen()).stride(2).padding(1)), 3, 5, 5),
                single("maxPool2d", () -> new MaxPool2d(2), 2, 6, 7),
                single("maxPool1d", () -> new MaxPool1d(3), 2, 10),
                single("avgPool2d", () -> new AvgPool2d(2), 2, 6, 6),
                single("adaptiveAvgPool2d", () -> new AdaptiveAvgPool2d(1, 1), 3, 5, 4),
                single("batchNorm2d", () -> warmed(new BatchNorm2d(3), 3, 4, 4), 3, 4, 4),
                single("batchNorm1d", () -> warmed(new BatchNorm1d(5), 5), 5),
                single("layerNorm", () -> new LayerNorm(6), 4, 6),
                single("groupNorm", () -> new GroupNorm(2, 4), 4, 3, 3),
                single("instanceNorm2d", () -> new InstanceNorm2d(3), 3, 4, 5),
                single("dropout eval", () -> new Sequential(new Dropout(0.5), new Linear(4, 2)), 4),
                single("flatten unflatten", () -> new Sequential(new Flatten(), new Unflatten(1, 6, 4)), 2, 3, 4),
                single("prelu", () -> new PReLU(3, 0.2), 3, 4),
                single("upsample nearest", () -> new Upsample(2, Upsample.Mode.NEAREST), 2, 3, 3),
                new Case("embedding", () -> new Embedding(10, 4, Embedding.Options.defaults().generator(gen())),
                        m -> in -> List.of(m.forward(in.get(0))),
                        b -> List.of(new Generator(b).randint(0, 10, b, 5))),
                single("lstm", () -> new LSTM(3, 4, bf), 6, 3),
                single("lstm 2 layers bidirectional", () -> new LSTM(3, 4, bf.numLayers(2).bidirectional(true)), 5, 3),
                single("gru bidirectional", () -> new GRU(3, 5, bf.bidirectional(true)), 6, 3),
                single("rnn", () -> new RNN(3, 4, bf), 6, 3),
                new Case("gru final state", () -> new GRU(3, 4, bf),
                        m -> in -> List.of(((GRU) m).forward(in.get(0), (int[]) null).hN()), b -> List.of(randn(b, 5, 3))),
                single("multihead attention", () -> new MultiheadAttention(8, 2, MultiheadAttention.Options.defaults()
                        .batchFirst(true).generator(gen())), 5, 8),
                single("transformer encoder layer", () -> new TransformerEncoderLayer(8, 2, tf), 5, 8),
                single("transformer encoder layer norm first", () -> new TransformerEncoderLayer(8, 2,
                        tf.normFirst(true)), 5, 8),
                new Case("transformer encoder padding mask", () -> new TransformerEncoderLayer(8, 2, tf),
                        m -> in -> List.of(((TransformerEncoderLayer) m).forward(in.get(0), in.get(1))),
                        b -> List.of(randn(b, 5, 8), paddingMask(b, 5))),
                new Case("transformer decoder layer", () -> new TransformerDecoderLayer(8, 2, tf),
                        m -> in -> List.of(((TransformerDecoderLayer) m).forward(in.get(0), in.get(1))),
                        b -> List.of(randn(b, 4, 8), randn(b + 100, 6, 8).narrow(0, 0, b))))
                .map(Arguments::of);
    }

    /** True at padded positions: sequence i has length T - (i % 2). */
    static Tensor paddingMask(int b, int t) {
        boolean[] v = new boolean[b * t];
        for (int i = 0; i < b; i++) {
            v[i * t + t - 1] = i % 2 == 1;
        }
        return Tensor.of(v, b, t);
    }

    /** Runs a few training batches so running statistics are not the defaults. */
    static Layer warmed(Layer bn, int... shapeAfterBatch) {
        try (var s = GradMode.noGrad()) {
            for (int i = 0; i < 3; i++) {
                bn.forward(randn(8 + i, shapeAfterBatch).mul(2).add(1));
            }
        }
        return bn;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exportedLayerMatchesOnnxRuntime(Case c) {
        Layer m = c.model().get();
        Function<List<Tensor>, List<Tensor>> fwd = c.forward().apply(m);
        ModelProto model = OnnxExport.toModel(m, fwd, c.inputs().apply(2), ExportOptions.defaults());
        ModelProto reread = OnnxFormat.decode(OnnxFormat.encode(model));
        m.eval();
        OnnxModel imported = OnnxModel.of(reread);
        for (int batch : new int[] {2, 3, 5}) {
            List<Tensor> in = c.inputs().apply(batch);
            List<Tensor> want;
            try (var s = GradMode.noGrad()) {
                want = fwd.apply(in);
            }
            List<Tensor> got = OrtOracle.run(reread, in);
            assertEquals(want.size(), got.size(), c.name() + ": outputs");
            // The round trip: the same file imported by Deneb's own runner.
            Map<String, Tensor> feed = new LinkedHashMap<>();
            for (int i = 0; i < in.size(); i++) {
                feed.put(imported.inputNames().get(i), in.get(i));
            }
            Map<String, Tensor> back;
            try (var s = GradMode.noGrad()) {
                back = imported.run(feed);
            }
            for (int i = 0; i < want.size(); i++) {
                String what = c.name() + " (batch " + batch + ", output " + i + ")";
                OrtOracle.assertClose(what, want.get(i).to(DType.F32), got.get(i), TOL);
                OrtOracle.assertClose(what + " imported", want.get(i).to(DType.F32),
                        back.get(imported.outputNames().get(i)).to(DType.F32), TOL);
            }
        }
    }
}
