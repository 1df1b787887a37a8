package dev.deneb.onnx.proto;

import java.util.List;

/**
 * ONNX's {@code ModelProto}: the top-level message of a {@code .onnx} file. Fields Deneb neither reads nor writes
 * (training info, functions, metadata) are skipped when decoding.
 *
 * @param irVersion   the file format version (8 for ONNX 1.10 to 1.13, 9 from 1.14)
 * @param opsetImport the operator sets used, one per domain ("" is the default ONNX domain)
 */
public record ModelProto(long irVersion, List<OperatorSetId> opsetImport, String producerName,
                         String producerVersion, GraphProto graph) {
    public ModelProto {
        opsetImport = List.copyOf(opsetImport);
    }

    /** The opset version of the default domain ({@code ""} or {@code "ai.onnx"}), or -1 when not imported. */
    public long defaultOpset() {
        for (OperatorSetId id : opsetImport) {
            if (id.domain().isEmpty() || id.domain().equals("ai.onnx")) {
                return id.version();
            }
        }
        return -1;
    }
}
