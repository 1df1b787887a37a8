package dev.deneb.onnx.proto;

import java.util.List;

/**
 * ONNX's {@code NodeProto}: one operator call. An empty input name means an optional input left out.
 *
 * @param domain "" for ONNX's own operators
 */
public record NodeProto(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                        List<AttributeProto> attributes) {
    public NodeProto {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = List.copyOf(attributes);
    }

    /** The attribute called {@code name}, or null. */
    public AttributeProto attribute(String name) {
        for (AttributeProto a : attributes) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }
}
