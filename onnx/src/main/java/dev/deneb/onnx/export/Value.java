package dev.deneb.onnx.export;

/**
 * A traced tensor as the graph sees it: its ONNX name, and whether it is a constant (computed from parameters and
 * constants alone, so it can be folded into an initializer).
 */
record Value(String name, boolean constant) {}
