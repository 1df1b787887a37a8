package dev.deneb.onnx.proto;

/** ONNX's {@code OperatorSetIdProto}: an operator set (domain, "" for ONNX's own) and its version. */
public record OperatorSetId(String domain, long version) {}
