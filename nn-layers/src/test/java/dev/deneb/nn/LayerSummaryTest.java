package dev.deneb.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.recurrent.LSTM;
import dev.deneb.nn.recurrent.RecurrentOptions;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** summary(inputShape): one forward pass with hooks, a row per layer, totals; modes and grad mode left alone. */
class LayerSummaryTest {
    private final Generator g = new Generator(8);

    /** The row of the layer named {@code name} (the first column, indentation stripped), split on 2+ spaces. */
    private static List<String> row(String table, String name) {
        Optional<String> line = table.lines().filter(l -> l.strip().startsWith(name + " ")).findFirst();
        assertTrue(line.isPresent(), "no row for " + name + ":\n" + table);
        return List.of(line.get().strip().split(" {2,}"));
    }

    private static String indentOf(String table, String name) {
        String line = table.lines().filter(l -> l.strip().startsWith(name + " ")).findFirst().orElseThrow();
        return line.substring(0, line.indexOf(name));
    }

    @Test
    void mlpRowsShowTypeOutputShapeAndOwnParameters() {
        Sequential mlp = new Sequential(new Linear(784, 128, Linear.Options.defaults().generator(g)), Activation.relu(), new Linear(128, 10, Linear.Options.defaults().generator(g)));
        String s = mlp.summary(2, 784);
        assertEquals(List.of("(root)", "Sequential", "[2, 10]", "0"), row(s, "(root)"));
        assertEquals(List.of("0", "Linear", "[2, 128]", "100,480"), row(s, "0"));
        assertEquals(List.of("1", "ReLU", "[2, 128]", "0"), row(s, "1"));
        assertEquals(List.of("2", "Linear", "[2, 10]", "1,290"), row(s, "2"));
        assertEquals("  ", indentOf(s, "0"), "children are indented one level");
        assertTrue(s.contains("Input shape: [2, 784] (f32)"), s);
        assertTrue(s.contains("Total params: 101,770\n"), s);
        assertTrue(s.contains("Trainable params: 101,770\n"), s);
        assertTrue(s.contains("Frozen params: 0\n"), s);

        mlp.get(0).freeze();
        String frozen = mlp.summary(1, 784);
        assertTrue(frozen.contains("Trainable params: 1,290\n") && frozen.contains("Frozen params: 100,480\n"), frozen);
        assertEquals(List.of("2", "Linear", "[1, 10]", "1,290"), row(frozen, "2"));
    }

    /** A small decoder of the issue-15 layers: each has its row, output shape and own parameters. */
    @Test
    void decoderOfTransposedConvolutionsAndNorms() {
        Sequential dec = new Sequential(new Linear(8, 32, Linear.Options.defaults().generator(g)),
                new Unflatten(1, 2, 4, 4),
                new ConvTranspose2d(2, 4, 3, ConvTranspose2d.Options.defaults().stride(2).padding(1).outputPadding(1)
                        .generator(g)),
                new GroupNorm(2, 4), new PReLU(4, 0.25), new Upsample(2, Upsample.Mode.BILINEAR),
                new InstanceNorm2d(4), Activation.leakyRelu(), new Flatten(2, 3),
                new ConvTranspose1d(4, 2, 3, ConvTranspose1d.Options.defaults().generator(g)));
        String s = dec.summary(3, 8);
        assertEquals(List.of("1", "Unflatten", "[3, 2, 4, 4]", "0"), row(s, "1"));
        assertEquals(List.of("2", "ConvTranspose2d", "[3, 4, 8, 8]", "76"), row(s, "2"));
        assertEquals(List.of("3", "GroupNorm", "[3, 4, 8, 8]", "8"), row(s, "3"));
        assertEquals(List.of("4", "PReLU", "[3, 4, 8, 8]", "4"), row(s, "4"));
        assertEquals(List.of("5", "Upsample", "[3, 4, 16, 16]", "0"), row(s, "5"));
        assertEquals(List.of("6", "InstanceNorm2d", "[3, 4, 16, 16]", "0"), row(s, "6"));
        assertEquals(List.of("7", "LeakyReLU", "[3, 4, 16, 16]", "0"), row(s, "7"));
        assertEquals(List.of("9", "ConvTranspose1d", "[3, 2, 258]", "26"), row(s, "9"));
    }

    /** features = Sequential(Conv2d(1, 4, 3), ReLU, MaxPool2d(2), Flatten), classifier = Linear(676, 10). */
    static final class SmallCnn extends Layer {
        final Sequential features;
        final Linear classifier;

        SmallCnn(Generator g) {
            features = registerLayer("features", new Sequential(new Conv2d(1, 4, 3, 3,
                    Conv2d.Options.defaults().generator(g)), Activation.relu(), new MaxPool2d(2),
                    new Flatten()));
            classifier = registerLayer("classifier", new Linear(4 * 13 * 13, 10, Linear.Options.defaults().generator(g)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return classifier.call(features.call(x));
        }
    }

    @Test
    void cnnRowsHaveDottedIndentedNamesAndEveryIntermediateShape() {
        SmallCnn cnn = new SmallCnn(g);
        String s = cnn.summary(3, 1, 28, 28);
        assertEquals(List.of("(root)", "SmallCnn", "[3, 10]", "0"), row(s, "(root)"));
        assertEquals(List.of("features", "Sequential", "[3, 676]", "0"), row(s, "features"));
        assertEquals(List.of("features.0", "Conv2d", "[3, 4, 26, 26]", "40"), row(s, "features.0"));
        assertEquals(List.of("features.1", "ReLU", "[3, 4, 26, 26]", "0"), row(s, "features.1"));
        assertEquals(List.of("features.2", "MaxPool2d", "[3, 4, 13, 13]", "0"), row(s, "features.2"));
        assertEquals(List.of("features.3", "Flatten", "[3, 676]", "0"), row(s, "features.3"));
        assertEquals(List.of("classifier", "Linear", "[3, 10]", "6,770"), row(s, "classifier"));
        assertEquals("    ", indentOf(s, "features.0"), "depth 2 is indented twice");
        assertEquals("  ", indentOf(s, "classifier"));
        assertTrue(s.contains("Total params: 6,810\n") && s.contains("Trainable params: 6,810\n"), s);
        // rows in pre-order
        int previous = -1;
        for (String n : List.of("(root)", "features ", "features.0", "features.3", "classifier")) {
            assertTrue(s.indexOf(n) > previous, n + " comes after the rows before it:\n" + s);
            previous = s.indexOf(n);
        }
    }

    @Test
    void summaryRunsInEvalWithoutGradientsAndRestoresEachLayersMode() {
        Sequential net = new Sequential(new Linear(4, 4, Linear.Options.defaults().generator(g)), new BatchNorm1d(4), new Dropout(0.5, Dropout.Options.defaults().generator(g)),
                new Linear(4, 2, Linear.Options.defaults().generator(g)));
        net.train();
        net.get(3).eval();
        List<Boolean> gradModes = new ArrayList<>();
        List<Boolean> trainModes = new ArrayList<>();
        net.get(1).registerForwardHook((l, in, out) -> {
            gradModes.add(GradMode.isEnabled());
            trainModes.add(l.isTraining());
            return out;
        });
        String s = net.summary(5, 4);
        assertEquals(List.of(false), gradModes, "no graph is recorded");
        assertEquals(List.of(false), trainModes, "eval mode during the pass");
        assertTrue(GradMode.isEnabled());
        assertTrue(net.isTraining() && net.get(0).isTraining() && net.get(1).isTraining() && net.get(2).isTraining());
        assertFalse(net.get(3).isTraining(), "a layer that was in eval stays in eval");
        assertEquals(0, net.stateDict().get("1.num_batches_tracked").item(), "eval: batch norm statistics untouched");
        for (Tensor p : net.parameters()) {
            assertNull(p.grad());
        }
        assertEquals(List.of("2", "Dropout", "[5, 4]", "0"), row(s, "2"));
        // the summary's hooks are gone: the table of a second run is the same
        assertEquals(s, net.summary(5, 4));
    }

    /** Feeds the LSTM through its RecurrentOutput overload, which is not a call(): its row shows "--". */
    static final class Tagger extends Layer {
        final LSTM lstm;
        final Linear out;

        Tagger(Generator g) {
            lstm = registerLayer("lstm", new LSTM(3, 5, RecurrentOptions.defaults().batchFirst(true).generator(g)));
            out = registerLayer("out", new Linear(5, 2, Linear.Options.defaults().generator(g)));
        }

        @Override
        public Tensor forward(Tensor x) {
            int[] lengths = new int[x.size(0)];
            java.util.Arrays.fill(lengths, x.size(1));
            return out.call(lstm.forward(x, null, null, lengths).output());
        }
    }

    @Test
    void recurrentLayersDoNotBreakTheSummary() {
        Tagger tagger = new Tagger(g);
        String s = tagger.summary(2, 6, 3);
        assertEquals(List.of("lstm", "LSTM", "--", String.valueOf(4 * 5 * (3 + 5 + 2))), row(s, "lstm"));
        assertEquals(List.of("out", "Linear", "[2, 6, 2]", "12"), row(s, "out"));
        LSTM alone = new LSTM(3, 5, RecurrentOptions.defaults().batchFirst(true).generator(g));
        assertEquals(List.of("(root)", "LSTM", "[2, 6, 5]", "200"), row(alone.summary(2, 6, 3), "(root)"));
    }

    @Test
    void aLayerCalledTwiceShowsItsCallCount() {
        Linear shared = new Linear(3, 3, Linear.Options.defaults().generator(g));
        Layer twice = new Layer() {
            {
                registerLayer("shared", shared);
            }

            @Override
            public Tensor forward(Tensor x) {
                return shared.call(shared.call(x));
            }
        };
        String s = twice.summary(4, 3);
        assertEquals(List.of("shared", "Linear", "[4, 3] x2", "12"), row(s, "shared"));
        assertEquals(List.of("(root)", "Layer", "[4, 3]", "0"), row(s, "(root)"));
    }

    @Test
    void theInputTakesTheParametersDtypeOrIsGivenExplicitly() {
        Sequential net = new Sequential(new Linear(3, 2, Linear.Options.defaults().generator(g)));
        net.to(DType.F64);
        String s = net.summary(4, 3);
        assertTrue(s.contains("Input shape: [4, 3] (f64)"), s);
        assertEquals(List.of("0", "Linear", "[4, 2]", "8"), row(s, "0"));
        Embedding emb = new Embedding(10, 6, Embedding.Options.defaults().generator(g));
        String e = emb.summary(Tensor.zeros(DType.I64, 2, 5));
        assertEquals(List.of("(root)", "Embedding", "[2, 5, 6]", "60"), row(e, "(root)"));
    }

    @Test
    void aFailingForwardPassIsReportedAndLeavesTheModesAlone() {
        Sequential net = new Sequential(new Linear(3, 2, Linear.Options.defaults().generator(g)), new Dropout(0.1, Dropout.Options.defaults().generator(g)));
        var e = assertThrows(IllegalArgumentException.class, () -> net.summary(4, 5));
        assertTrue(e.getMessage().contains("summary") && e.getMessage().contains("Sequential")
                && e.getMessage().contains("[4, 5]") && e.getMessage().contains("linear"), e.getMessage());
        assertTrue(net.isTraining() && net.get(1).isTraining());
        var empty = assertThrows(IllegalArgumentException.class, () -> net.summary(new int[0]));
        assertTrue(empty.getMessage().contains("input shape"), empty.getMessage());
        // the parameter table without a shape is still there
        assertTrue(net.summary().contains("0.weight"), net.summary());
    }
}
