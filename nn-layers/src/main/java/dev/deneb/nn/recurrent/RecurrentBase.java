package dev.deneb.nn.recurrent;

import dev.deneb.nn.Functional;
import dev.deneb.nn.Init;
import dev.deneb.nn.Layer;
import dev.deneb.nn.OptionChecks;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The multi-layer, optionally bidirectional machinery shared by {@link RNN}, {@link LSTM} and {@link GRU}.
 * Parameters are named and laid out as in PyTorch ({@code weight_ih_l0}, {@code weight_hh_l0},
 * {@code bias_ih_l0}, {@code bias_hh_l0}, and {@code ..._reverse} for the second direction), so a PyTorch
 * {@code state_dict} loads as it is.
 */
public abstract class RecurrentBase extends Layer {
    public final int inputSize;
    public final int hiddenSize;
    public final RecurrentOptions options;
    private final CellType cell;
    private final Generator generator;
    private final Tensor[] wIh;
    private final Tensor[] wHh;
    private final Tensor[] bIh;
    private final Tensor[] bHh;

    protected RecurrentBase(CellType cell, int inputSize, int hiddenSize, RecurrentOptions o) {
        OptionChecks.requireOptions(getClass().getSimpleName(), o);
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": inputSize and hiddenSize must be >= 1,"
                    + " got inputSize=" + inputSize + ", hiddenSize=" + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.options = o;
        this.cell = RecurrentOptions.resolve(getClass().getSimpleName(), cell, o.nonlinearity());
        Generator g = o.generator();
        this.generator = g;
        int dirs = o.directions();
        int n = o.numLayers() * dirs;
        wIh = new Tensor[n];
        wHh = new Tensor[n];
        bIh = new Tensor[n];
        bHh = new Tensor[n];
        double k = 1 / Math.sqrt(hiddenSize);
        int gh = this.cell.gates * hiddenSize;
        for (int layer = 0; layer < o.numLayers(); layer++) {
            int in = layer == 0 ? inputSize : hiddenSize * dirs;
            for (int d = 0; d < dirs; d++) {
                int idx = layer * dirs + d;
                String suffix = "_l" + layer + (d == 1 ? "_reverse" : "");
                wIh[idx] = registerParameter("weight_ih" + suffix, Init.uniform(g, -k, k, gh, in));
                wHh[idx] = registerParameter("weight_hh" + suffix, Init.uniform(g, -k, k, gh, hiddenSize));
                if (o.bias()) {
                    bIh[idx] = registerParameter("bias_ih" + suffix, Init.uniform(g, -k, k, gh));
                    bHh[idx] = registerParameter("bias_hh" + suffix, Init.uniform(g, -k, k, gh));
                }
            }
        }
    }

    /** The output of every step of the last layer (zero initial states, full lengths). */
    @Override
    public Tensor forward(Tensor input) {
        return run(input, null, null, (int[]) null).output();
    }

    /** Output and final states for sequences of different lengths (zero initial states). */
    public RecurrentOutput forward(Tensor input, int[] lengths) {
        return run(input, null, null, lengths);
    }

    /**
     * The general call: {@code h0} (and {@code c0} for LSTM) are {@code [L*D, B, H]} or null for zeros;
     * {@code lengths} (one per sequence, each 1..T) or null for full length.
     */
    protected RecurrentOutput run(Tensor input, Tensor h0, Tensor c0, int[] lengths) {
        return runValid(input, h0, c0, lengthMask(input, lengths));
    }

    /**
     * As {@link #run(Tensor, Tensor, Tensor, int[])} with a mask instead of lengths: {@code [B, T]} when
     * batch first, else {@code [T, B]}; BOOL, or numbers where nonzero means valid. Masked steps are skipped (the
     * state carries over, the output is zero); every sequence needs at least one valid step.
     */
    protected RecurrentOutput runMasked(Tensor input, Tensor h0, Tensor c0, Tensor mask) {
        checkInput(input);
        if (mask == null) {
            return runValid(input, h0, c0, null);
        }
        int[] want = {input.size(0), input.size(1)};
        if (!Arrays.equals(mask.shape(), want)) {
            throw new IllegalArgumentException(name() + ": the mask must have shape " + Arrays.toString(want)
                    + (options.batchFirst() ? " [B, T]" : " [T, B]") + ", got " + Arrays.toString(mask.shape()));
        }
        Tensor bool = mask.dtype() == DType.BOOL ? mask : mask.ne(0);
        Tensor tb = options.batchFirst() ? bool.t().contiguous() : bool;
        long[] perSeq = tb.to(DType.I64).sum(new int[] {0}, false).toLongArray();
        for (int b = 0; b < perSeq.length; b++) {
            if (perSeq[b] == 0) {
                throw new IllegalArgumentException(name() + ": sequence " + b + " has no valid step in the mask"
                        + " (length 0); every sequence needs at least one");
            }
        }
        return runValid(input, h0, c0, tb);
    }

    private String name() {
        return getClass().getSimpleName();
    }

    private void checkInput(Tensor input) {
        if (input.dim() != 3) {
            throw new IllegalArgumentException(name() + ": expected a 3-D input " + (options.batchFirst()
                    ? "[B, T, " : "[T, B, ") + inputSize + "], got " + Arrays.toString(input.shape()));
        }
        if (input.size(2) != inputSize) {
            throw new IllegalArgumentException(name() + ": expected " + inputSize + " input features, got "
                    + input.size(2) + " (input shape " + Arrays.toString(input.shape()) + ")");
        }
        int t = options.batchFirst() ? input.size(1) : input.size(0);
        if (t == 0) {
            throw new IllegalArgumentException(name() + ": the input has sequence length 0 (shape "
                    + Arrays.toString(input.shape()) + "); sequences need at least one step");
        }
        if (input.size(options.batchFirst() ? 0 : 1) == 0) {
            throw new IllegalArgumentException(name() + ": the input has batch size 0 (shape "
                    + Arrays.toString(input.shape()) + ")");
        }
        if (!input.dtype().isFloating()) {
            throw new IllegalArgumentException(name() + ": expected a floating-point input, got " + input.dtype());
        }
        Functional.checkDType(name(), input, wIh[0]);
    }

    /** BOOL [T, B] with valid[t][b] = t < lengths[b], or null when lengths is null. */
    private Tensor lengthMask(Tensor input, int[] lengths) {
        checkInput(input);
        if (lengths == null) {
            return null;
        }
        int b = input.size(options.batchFirst() ? 0 : 1);
        int t = input.size(options.batchFirst() ? 1 : 0);
        if (lengths.length != b) {
            throw new IllegalArgumentException(name() + ": got " + lengths.length + " lengths for a batch of " + b);
        }
        boolean[] v = new boolean[t * b];
        for (int j = 0; j < b; j++) {
            if (lengths[j] < 1 || lengths[j] > t) {
                throw new IllegalArgumentException(name() + ": length " + lengths[j] + " of sequence " + j
                        + " is outside 1.." + t + (lengths[j] == 0 ? " (sequences of length 0 are not allowed)" : ""));
            }
            for (int s = 0; s < lengths[j]; s++) {
                v[s * b + j] = true;
            }
        }
        return Tensor.of(v, t, b);
    }

    private RecurrentOutput runValid(Tensor input, Tensor h0, Tensor c0, Tensor valid) {
        checkInput(input);
        RecurrentOptions o = options;
        int dirs = o.directions();
        int states = o.numLayers() * dirs;
        int b = input.size(o.batchFirst() ? 0 : 1);
        int[] stateShape = {states, b, hiddenSize};
        if (h0 != null && !Arrays.equals(h0.shape(), stateShape)) {
            throw new IllegalArgumentException(name() + ": h0 must have shape " + Arrays.toString(stateShape)
                    + " [layers*directions, B, H], got " + Arrays.toString(h0.shape()));
        }
        if (c0 != null && cell != CellType.LSTM) {
            throw new IllegalArgumentException(name() + ": only LSTM takes a cell state c0");
        }
        if (c0 != null && !Arrays.equals(c0.shape(), stateShape)) {
            throw new IllegalArgumentException(name() + ": c0 must have shape " + Arrays.toString(stateShape)
                    + " [layers*directions, B, H], got " + Arrays.toString(c0.shape()));
        }
        if (h0 != null) {
            Functional.checkDType(name() + " (h0)", h0, wIh[0]);
        }
        if (c0 != null) {
            Functional.checkDType(name() + " (c0)", c0, wIh[0]);
        }
        Tensor x = o.batchFirst() ? input.transpose(0, 1).contiguous() : input;
        List<Tensor> hN = new ArrayList<>();
        List<Tensor> cN = new ArrayList<>();
        for (int layer = 0; layer < o.numLayers(); layer++) {
            List<Tensor> outs = new ArrayList<>(dirs);
            for (int d = 0; d < dirs; d++) {
                int idx = layer * dirs + d;
                RecurrentOutput r = Recurrence.layer(cell, x, h0 == null ? null : h0.select(0, idx),
                        c0 == null ? null : c0.select(0, idx), wIh[idx], wHh[idx], bIh[idx], bHh[idx], valid, d == 1);
                outs.add(r.output());
                hN.add(r.hN());
                if (r.cN() != null) {
                    cN.add(r.cN());
                }
            }
            x = dirs == 1 ? outs.getFirst() : Tensor.cat(2, outs);
            if (o.dropout() > 0 && layer < o.numLayers() - 1 && isTraining()) {
                x = Functional.dropout(x, o.dropout(), true, generator);
            }
        }
        Tensor output = o.batchFirst() ? x.transpose(0, 1) : x;
        Tensor h = states == 1 ? hN.getFirst().unsqueeze(0) : Tensor.stack(0, hN);
        Tensor c = cN.isEmpty() ? null : states == 1 ? cN.getFirst().unsqueeze(0) : Tensor.stack(0, cN);
        return new RecurrentOutput(output, h, c);
    }

    @Override
    protected String describe() {
        RecurrentOptions o = options;
        return inputSize + ", " + hiddenSize + (o.numLayers() > 1 ? ", num_layers=" + o.numLayers() : "")
                + (o.bias() ? "" : ", bias=false") + (o.batchFirst() ? ", batch_first=true" : "")
                + (o.dropout() > 0 ? ", dropout=" + o.dropout() : "") + (o.bidirectional() ? ", bidirectional=true" : "");
    }
}
