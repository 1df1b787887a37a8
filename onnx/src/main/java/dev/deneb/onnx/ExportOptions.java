package dev.deneb.onnx;

import java.util.List;

/**
 * Options of {@link OnnxExport}, with the defaults of {@code torch.onnx.export} where it has them. Setters return a
 * new record: {@code ExportOptions.defaults().inputNames("image").dynamicBatch(false)}.
 *
 * @param inputNames   names of the graph inputs, in the order of the example inputs (default {@code input},
 *                     or {@code input_0}, {@code input_1}… for several)
 * @param outputNames  names of the graph outputs (default {@code output}, or {@code output_0}…)
 * @param dynamicBatch whether axis 0 of every input (and what follows it) is a symbolic {@code batch} dimension;
 *                     when false every shape is fixed to the example's (default true)
 * @param batchName    the symbolic name of the batch dimension (default {@code batch})
 */
public record ExportOptions(List<String> inputNames, List<String> outputNames, boolean dynamicBatch,
                            String batchName) {
    public ExportOptions {
        inputNames = inputNames == null ? null : List.copyOf(inputNames);
        outputNames = outputNames == null ? null : List.copyOf(outputNames);
        if (batchName == null || batchName.isBlank()) {
            throw new IllegalArgumentException("ExportOptions: the batch dimension needs a name, got '" + batchName
                    + "'");
        }
    }

    public static ExportOptions defaults() {
        return new ExportOptions(null, null, true, "batch");
    }

    public ExportOptions inputNames(String... names) {
        return new ExportOptions(List.of(names), outputNames, dynamicBatch, batchName);
    }

    public ExportOptions outputNames(String... names) {
        return new ExportOptions(inputNames, List.of(names), dynamicBatch, batchName);
    }

    public ExportOptions dynamicBatch(boolean on) {
        return new ExportOptions(inputNames, outputNames, on, batchName);
    }

    public ExportOptions batchName(String name) {
        return new ExportOptions(inputNames, outputNames, dynamicBatch, name);
    }

    /** The name of input {@code i} of {@code count}. */
    public String inputName(int i, int count) {
        return name(inputNames, "input", i, count);
    }

    /** The name of output {@code i} of {@code count}. */
    public String outputName(int i, int count) {
        return name(outputNames, "output", i, count);
    }

    private static String name(List<String> names, String base, int i, int count) {
        if (names != null) {
            if (names.size() != count) {
                throw new IllegalArgumentException("onnx export: " + names.size() + " " + base + " names given for "
                        + count + " " + base + "s");
            }
            return names.get(i);
        }
        return count == 1 ? base : base + "_" + i;
    }
}
