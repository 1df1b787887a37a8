package dev.deneb.onnx.runtime;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;

/** The operators Deneb can run, by ONNX name. {@link #standard()} holds every built-in one. */
public final class OpRegistry {
    /** The lowest opset of the default domain Deneb reads. */
    public static final int MIN_OPSET = 13;
    /** The highest opset of the default domain Deneb reads. */
    public static final int MAX_OPSET = 21;

    private static final OpRegistry STANDARD = createStandard();

    private final Map<String, OpSpec> ops = new TreeMap<>();

    private OpRegistry() {}

    /** The built-in operators (shared, read-only). */
    public static OpRegistry standard() {
        return STANDARD;
    }

    private static OpRegistry createStandard() {
        OpRegistry r = new OpRegistry();
        ElementwiseOps.register(r);
        ShapeOps.register(r);
        IndexingOps.register(r);
        ReductionOps.register(r);
        MatrixOps.register(r);
        ConvolutionOps.register(r);
        NormalizationOps.register(r);
        ResamplingOps.register(r);
        RecurrentOps.register(r);
        return r;
    }

    /** The operator called {@code opType}, or null when Deneb has none of that name. */
    public OpSpec get(String opType) {
        return ops.get(opType);
    }

    /** Every supported operator name, sorted. */
    public NavigableSet<String> opTypes() {
        return Collections.unmodifiableNavigableSet(((TreeMap<String, OpSpec>) ops).navigableKeySet());
    }

    /** Adds an operator with one output. */
    void add(String opType, int minInputs, int maxInputs, OnnxOp op) {
        add(opType, minInputs, maxInputs, 1, op);
    }

    void add(String opType, int minInputs, int maxInputs, int maxOutputs, OnnxOp op) {
        if (ops.put(opType, new OpSpec(opType, minInputs, maxInputs, maxOutputs, op)) != null) {
            throw new IllegalStateException("operator " + opType + " registered twice");
        }
    }
}
