package dev.deneb.onnx;

/**
 * A model that Deneb cannot read, run or write as ONNX: a malformed or truncated file, an operator or opset outside
 * the supported set, or an op in a Deneb graph that has no ONNX form. The message names the file, node or op.
 */
public class OnnxException extends RuntimeException {
    public OnnxException(String message) {
        super(message);
    }

    public OnnxException(String message, Throwable cause) {
        super(message, cause);
    }
}
