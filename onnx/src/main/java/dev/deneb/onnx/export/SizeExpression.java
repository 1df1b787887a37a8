package dev.deneb.onnx.export;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A traced size as a product of a constant and symbolic dimensions, {@code factor · d1 · d2 …}: what a reshape to
 * {@code [B·H, T, d]} holds at its first position is {@code 1 · batch} times the constant H, and so on.
 *
 * @param factor the constant part
 * @param dims   the symbolic dimensions multiplied in (each at most once)
 */
record SizeExpression(long factor, List<SymbolicDim> dims) {
    boolean isConstant() {
        return dims.isEmpty();
    }

    /** The ONNX dim_param for an output dimension: {@code batch}, or {@code 4*batch*steps}. */
    String param() {
        String names = dims.stream().map(SymbolicDim::name).collect(Collectors.joining("*"));
        return factor == 1 ? names : factor + "*" + names;
    }

    /**
     * The expression of a size seen as {@code base} in the example trace and {@code grown[k]} in the trace where
     * dimension k is one larger; null when the size does not follow the dimensions as a product (e.g. {@code n + 1}).
     */
    static SizeExpression of(long base, long[] grown, List<SymbolicDim> symbols) {
        List<SymbolicDim> in = new java.util.ArrayList<>();
        long product = 1;
        for (int k = 0; k < symbols.size(); k++) {
            if (grown[k] != base) {
                in.add(symbols.get(k));
                product *= symbols.get(k).example();
            }
        }
        if (in.isEmpty()) {
            return new SizeExpression(base, List.of());
        }
        if (product == 0 || base % product != 0) {
            return null;
        }
        long factor = base / product;
        for (int k = 0; k < symbols.size(); k++) {
            if (in.contains(symbols.get(k)) && grown[k] != factor * product / symbols.get(k).example()
                    * (symbols.get(k).example() + 1)) {
                return null;
            }
        }
        return new SizeExpression(factor, in);
    }
}
