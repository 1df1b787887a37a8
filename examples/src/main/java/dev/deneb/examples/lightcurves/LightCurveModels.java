package dev.deneb.examples.lightcurves;

import dev.deneb.nn.Conv1d;
import dev.deneb.nn.Dropout;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Layer;
import dev.deneb.nn.attention.TransformerActivation;
import dev.deneb.nn.attention.TransformerEncoderLayer;
import dev.deneb.nn.attention.TransformerOptions;
import dev.deneb.nn.recurrent.GRU;
import dev.deneb.nn.recurrent.LSTM;
import dev.deneb.nn.recurrent.RecurrentBase;
import dev.deneb.nn.recurrent.RecurrentOptions;
import dev.deneb.nn.recurrent.RecurrentOutput;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;

/** The three light-curve classifiers; each ends in a small MLP over its summary plus the static features. */
public final class LightCurveModels {
    private LightCurveModels() {}

    /** A classifier of light-curve batches. */
    public abstract static class Classifier extends Layer {
        public abstract Tensor logits(LightCurveBatch b);

        @Override
        public Tensor forward(Tensor input) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " takes a LightCurveBatch: call"
                    + " logits(batch)");
        }
    }

    /** Head: [summary, statics] → Linear → ReLU → Dropout → Linear(4). */
    static final class Head extends Layer {
        final Linear fc1;
        final Dropout drop;
        final Linear fc2;

        Head(int in, int hidden, double p, Generator g) {
            Linear.Options lin = Linear.Options.defaults().generator(g);
            fc1 = registerLayer("fc1", new Linear(in + LightCurves.STATIC_FEATURES, hidden, lin));
            drop = registerLayer("drop", new Dropout(p, Dropout.Options.defaults().generator(g)));
            fc2 = registerLayer("fc2", new Linear(hidden, LightCurves.CLASSES.length, lin));
        }

        Tensor forward(Tensor summary, LightCurveBatch b) {
            return forward(Tensor.cat(1, summary, b.statics()));
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc2.forward(drop.forward(fc1.forward(x).relu()));
        }
    }

    /**
     * A bidirectional GRU or LSTM over the raw light curve (lengths passed, so padding is skipped); the final states
     * of both directions and the masked mean of the outputs summarise the star.
     */
    public static final class Recurrent extends Classifier {
        final RecurrentBase rnn;
        final Head head;
        final int hidden;

        public Recurrent(boolean lstm, int hidden, Generator g) {
            this.hidden = hidden;
            RecurrentOptions o = RecurrentOptions.defaults().batchFirst(true).bidirectional(true).generator(g);
            int in = LightCurves.STEP_FEATURES;
            rnn = registerLayer("rnn", lstm ? new LSTM(in, hidden, o) : new GRU(in, hidden, o));
            head = registerLayer("head", new Head(4 * hidden, 64, 0.2, g));
        }

        @Override
        public Tensor logits(LightCurveBatch b) {
            RecurrentOutput r = rnn instanceof LSTM l ? l.forward(b.sequences(), null, null, b.lengths())
                    : ((GRU) rnn).forward(b.sequences(), null, b.lengths());
            Tensor last = Tensor.cat(1, r.hN().select(0, 0), r.hN().select(0, 1));         // [B, 2H]
            Tensor mean = meanOverValid(r.output(), b);                                        // [B, 2H]
            return head.forward(Tensor.cat(1, last, mean), b);
        }
    }

    /** Sum over valid steps divided by the length: {@code [B, T, D]} → {@code [B, D]}. */
    static Tensor meanOverValid(Tensor seq, LightCurveBatch b) {
        Tensor s = seq.mul(b.valid()).sum(1);
        return s.div(b.valid().sum(new int[] {1}, false));
    }

    /** Linear embedding of each step, transformer encoder layers with a key-padding mask, masked mean pooling. */
    public static final class Transformer extends Classifier {
        final Linear embed;
        final TransformerEncoderLayer[] layers;
        final Head head;

        public Transformer(int dModel, int heads, int numLayers, Generator g) {
            embed = registerLayer("embed", new Linear(LightCurves.STEP_FEATURES, dModel,
                    Linear.Options.defaults().generator(g)));
            layers = new TransformerEncoderLayer[numLayers];
            TransformerOptions o = TransformerOptions.defaults().dimFeedforward(2 * dModel).dropout(0.1)
                    .activation(TransformerActivation.RELU).batchFirst(true).normFirst(true).generator(g);
            for (int i = 0; i < numLayers; i++) {
                layers[i] = registerLayer("layer" + i, new TransformerEncoderLayer(dModel, heads, o));
            }
            head = registerLayer("head", new Head(dModel, 64, 0.2, g));
        }

        @Override
        public Tensor logits(LightCurveBatch b) {
            Tensor x = embed.forward(b.sequences());
            for (TransformerEncoderLayer l : layers) {
                x = l.forward(x, b.padding());
            }
            return head.forward(meanOverValid(x, b), b);
        }
    }

    /** Two circular convolutions over the folded curve (2 × 32), global mean and max pooling. */
    public static final class FoldedCnn extends Classifier {
        final Conv1d conv1;
        final Conv1d conv2;
        final Conv1d conv3;
        final Head head;

        public FoldedCnn(int channels, Generator g) {
            Conv1d.Options o = Conv1d.Options.defaults().generator(g);
            conv1 = registerLayer("conv1", new Conv1d(2, channels, 5, o));
            conv2 = registerLayer("conv2", new Conv1d(channels, channels, 5, o));
            conv3 = registerLayer("conv3", new Conv1d(channels, channels, 5, o));
            head = registerLayer("head", new Head(2 * channels, 64, 0.2, g));
        }

        /** Wraps the phase axis around by {@code k} bins on each side (the curve is periodic). */
        static Tensor circular(Tensor x, int k) {
            int n = x.size(2);
            return Tensor.cat(2, x.narrow(2, n - k, k), x, x.narrow(2, 0, k));
        }

        @Override
        public Tensor logits(LightCurveBatch b) {
            Tensor x = b.folded();
            x = conv1.forward(circular(x, 2)).relu();
            x = conv2.forward(circular(x, 2)).relu();
            x = conv3.forward(circular(x, 2)).relu();
            Tensor pooled = Tensor.cat(1, x.mean(2), x.amax(new int[] {2}, false));
            return head.forward(pooled, b);
        }
    }
}
