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
 * @param dynamicAxes  further symbolic sizes, such as a sequence length (default none)
 */
public record ExportOptions(List<String> inputNames, List<String> outputNames, boolean dynamicBatch,
                            String batchName, List<DynamicAxis> dynamicAxes) {
    /**
     * Axis {@code axis} of graph input {@code input} (0-based, in the order of the example inputs) has the symbolic
     * size {@code name}; axes given one name share it (a sequence and its padding mask).
     */
    public record DynamicAxis(int input, int axis, String name) {
        public DynamicAxis {
            if (input < 0 || axis < 0 || name == null || name.isBlank()) {
                throw new IllegalArgumentException("ExportOptions.dynamicAxis: expected an input index >= 0, an axis"
                        + " >= 0 and a name, got (" + input + ", " + axis + ", '" + name + "')");
            }
        }
    }

    public ExportOptions {
        inputNames = inputNames == null ? null : List.copyOf(inputNames);
        outputNames = outputNames == null ? null : List.copyOf(outputNames);
        dynamicAxes = dynamicAxes == null ? List.of() : List.copyOf(dynamicAxes);
        if (batchName == null || batchName.isBlank()) {
            throw new IllegalArgumentException("ExportOptions: the batch dimension needs a name, got '" + batchName
                    + "'");
        }
    }

    public static ExportOptions defaults() {
        return new ExportOptions(null, null, true, "batch", List.of());
    }

    public ExportOptions inputNames(String... names) {
        return new ExportOptions(List.of(names), outputNames, dynamicBatch, batchName, dynamicAxes);
    }

    public ExportOptions outputNames(String... names) {
        return new ExportOptions(inputNames, List.of(names), dynamicBatch, batchName, dynamicAxes);
    }

    public ExportOptions dynamicBatch(boolean on) {
        return new ExportOptions(inputNames, outputNames, on, batchName, dynamicAxes);
    }

    public ExportOptions batchName(String name) {
        return new ExportOptions(inputNames, outputNames, dynamicBatch, name, dynamicAxes);
    }

    /**
     * Another symbolic size, as {@code torch.onnx.export}'s {@code dynamic_axes}: axis {@code axis} of input
     * {@code input} is called {@code name} in the graph, e.g. {@code dynamicAxis(0, 1, "steps")} for the sequence
     * length of {@code [B, T, F]}.
     */
    public ExportOptions dynamicAxis(int input, int axis, String name) {
        List<DynamicAxis> more = new java.util.ArrayList<>(dynamicAxes);
        more.add(new DynamicAxis(input, axis, name));
        return new ExportOptions(inputNames, outputNames, dynamicBatch, batchName, more);
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
