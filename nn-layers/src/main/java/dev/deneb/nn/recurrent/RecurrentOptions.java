package dev.deneb.nn.recurrent;

/**
 * The configuration of {@link RNN}, {@link LSTM} and {@link GRU}, with PyTorch's meaning and defaults.
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(RecurrentOptions.of(32, 128).numLayers(2).batchFirst(true).bidirectional(true));
 * }</pre>
 *
 * @param inputSize     features per step of the input
 * @param hiddenSize    features of the hidden state
 * @param numLayers     stacked layers; each layer's output is the next one's input
 * @param nonlinearity  {@code tanh} or {@code relu}; used by {@link RNN} only
 * @param bias          whether the layers have {@code bias_ih} and {@code bias_hh}
 * @param batchFirst    input and output are {@code [B, T, F]} instead of {@code [T, B, F]} (states stay
 *                      {@code [L*D, B, H]})
 * @param dropout       dropout probability on the output of every layer but the last, while training
 * @param bidirectional a second direction runs over the reversed sequence; outputs are concatenated
 */
public record RecurrentOptions(int inputSize, int hiddenSize, int numLayers, Nonlinearity nonlinearity, boolean bias,
                               boolean batchFirst, double dropout, boolean bidirectional) {

    /** The activation of a plain {@link RNN}. */
    public enum Nonlinearity { TANH, RELU }

    public RecurrentOptions {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("recurrent layer: inputSize and hiddenSize must be >= 1, got inputSize="
                    + inputSize + ", hiddenSize=" + hiddenSize);
        }
        if (numLayers < 1) {
            throw new IllegalArgumentException("recurrent layer: numLayers must be >= 1, got " + numLayers);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("recurrent layer: dropout must be in [0, 1], got " + dropout);
        }
        if (nonlinearity == null) {
            throw new IllegalArgumentException("recurrent layer: nonlinearity must be TANH or RELU, got null");
        }
    }

    /** One layer, tanh, with bias, time first, no dropout, one direction (PyTorch's defaults). */
    public static RecurrentOptions of(int inputSize, int hiddenSize) {
        return new RecurrentOptions(inputSize, hiddenSize, 1, Nonlinearity.TANH, true, false, 0, false);
    }

    public RecurrentOptions numLayers(int n) {
        return new RecurrentOptions(inputSize, hiddenSize, n, nonlinearity, bias, batchFirst, dropout, bidirectional);
    }

    public RecurrentOptions nonlinearity(Nonlinearity a) {
        return new RecurrentOptions(inputSize, hiddenSize, numLayers, a, bias, batchFirst, dropout, bidirectional);
    }

    public RecurrentOptions bias(boolean on) {
        return new RecurrentOptions(inputSize, hiddenSize, numLayers, nonlinearity, on, batchFirst, dropout, bidirectional);
    }

    public RecurrentOptions batchFirst(boolean on) {
        return new RecurrentOptions(inputSize, hiddenSize, numLayers, nonlinearity, bias, on, dropout, bidirectional);
    }

    public RecurrentOptions dropout(double p) {
        return new RecurrentOptions(inputSize, hiddenSize, numLayers, nonlinearity, bias, batchFirst, p, bidirectional);
    }

    public RecurrentOptions bidirectional(boolean on) {
        return new RecurrentOptions(inputSize, hiddenSize, numLayers, nonlinearity, bias, batchFirst, dropout, on);
    }

    /** 2 when bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }
}
