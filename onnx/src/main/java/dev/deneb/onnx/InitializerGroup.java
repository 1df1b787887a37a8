package dev.deneb.onnx;

import dev.deneb.nn.Layer;
import dev.deneb.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/** A node of an {@link OnnxModel}'s initializer tree (see {@link InitializerNames}): it holds state, computes
 *  nothing. */
final class InitializerGroup extends Layer {
    private final Map<String, InitializerGroup> groups = new HashMap<>();

    /** Registers {@code value} at {@code path[from..]} below this group; returns the tensor registered. */
    Tensor add(String[] path, int from, Tensor value, boolean trainable) {
        if (from == path.length - 1) {
            return trainable ? registerParameter(path[from], value) : registerBuffer(path[from], value);
        }
        InitializerGroup g = groups.computeIfAbsent(path[from], n -> registerLayer(n, new InitializerGroup()));
        return g.add(path, from + 1, value, trainable);
    }

    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("a group of ONNX initializers computes nothing; run the OnnxModel");
    }
}
