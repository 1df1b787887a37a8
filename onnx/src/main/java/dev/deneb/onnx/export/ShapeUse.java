package dev.deneb.onnx.export;

/**
 * An INT64 initializer holding sizes taken from the traced shapes (a Reshape's target, an Expand's shape), noted
 * so that {@link BatchAxis} can rewrite the sizes that follow the batch size.
 *
 * @param name        the initializer's name
 * @param kind        how a size that follows the batch is written
 * @param values      the sizes in this trace
 * @param inputDims   the shape of the op's data input in this trace
 */
record ShapeUse(String name, Kind kind, long[] values, int[] inputDims) {
    enum Kind {
        /** A Reshape target: a size that follows the batch becomes 0 (copy the input's) or -1 (inferred). */
        RESHAPE,
        /** An Expand shape: a size that follows the batch becomes 1 (Expand broadcasts both ways). */
        EXPAND,
        /**
         * One bound of a Slice ({@code values} holds it, {@code inputDims} the sliced axis's size): a bound that
         * keeps its distance to the end of a growing axis is written from the end (negative).
         */
        SLICE_BOUND
    }
}
