package dev.deneb.onnx.runtime;

/**
 * An operator Deneb runs: its ONNX name, how many inputs and outputs a node of it may have (checked when a model is
 * loaded) and its implementation.
 *
 * @param opType     the ONNX operator name, e.g. {@code Conv}
 * @param minInputs  inputs a node must have (trailing optional ones may be left out)
 * @param maxInputs  inputs a node may have
 * @param maxOutputs outputs a node may have ({@link Integer#MAX_VALUE} for variadic outputs such as Split's)
 * @param op         the implementation
 */
public record OpSpec(String opType, int minInputs, int maxInputs, int maxOutputs, OnnxOp op) {
    /** The accepted input counts as text, for messages: {@code "2"}, {@code "1 to 3"} or {@code "at least 1"}. */
    public String inputCounts() {
        if (minInputs == maxInputs) {
            return Integer.toString(minInputs);
        }
        return maxInputs == Integer.MAX_VALUE ? "at least " + minInputs : minInputs + " to " + maxInputs;
    }
}
