package dev.deneb.nn;

import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Builds the table of {@link Layer#summary(int...)}: one forward pass with a recording hook on every layer. */
final class LayerSummary {
    private LayerSummary() {}

    /** What the hooks saw of one layer: its first output shape and how many times it ran. */
    private static final class Seen {
        int[] shape;
        int calls;
    }

    private record Row(String name, String type, String shape, long params) {}

    static String of(Layer root, Tensor input) {
        Map<String, Layer> named = root.namedLayers();
        Map<Layer, Seen> seen = new IdentityHashMap<>();
        List<HookHandle> handles = new ArrayList<>();
        List<Boolean> modes = new ArrayList<>();
        for (Layer l : named.values()) {
            modes.add(l.isTraining());
            handles.add(l.registerForwardHook((layer, in, out) -> {
                Seen s = seen.computeIfAbsent(layer, k -> new Seen());
                if (s.calls++ == 0) {
                    s.shape = out.shape();
                }
                return out;
            }));
        }
        try (var _ = GradMode.noGrad()) {
            root.eval();
            root.call(input);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("summary: the forward pass of " + root.typeName() + " on an input "
                    + Arrays.toString(input.shape()) + " (" + input.dtype() + ") failed: " + e.getMessage(), e);
        } finally {
            handles.forEach(HookHandle::remove);
            restoreModes(named.values(), modes);
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Layer> e : named.entrySet()) {
            Layer l = e.getValue();
            Seen s = seen.get(l);
            String shape = s == null ? "--" : Arrays.toString(s.shape) + (s.calls > 1 ? " x" + s.calls : "");
            long own = 0;
            for (Tensor p : l.ownParameters().values()) {
                own += p.numel();
            }
            String name = e.getKey().isEmpty() ? "(root)" : e.getKey();
            rows.add(new Row("  ".repeat(depth(e.getKey())) + name, l.typeName(), shape, own));
        }
        return table(rows, root, input);
    }

    /** Each layer's own flag back; in pre-order, so a parent's {@code train(on)} never overrides a child's. */
    private static void restoreModes(Iterable<Layer> layers, List<Boolean> modes) {
        int i = 0;
        for (Layer l : layers) {
            l.train(modes.get(i++));
        }
    }

    private static int depth(String name) {
        return name.isEmpty() ? 0 : (int) name.chars().filter(c -> c == '.').count() + 1;
    }

    private static String table(List<Row> rows, Layer root, Tensor input) {
        int nameW = "Layer".length();
        int typeW = "Type".length();
        int shapeW = "Output shape".length();
        for (Row r : rows) {
            nameW = Math.max(nameW, r.name().length());
            typeW = Math.max(typeW, r.type().length());
            shapeW = Math.max(shapeW, r.shape().length());
        }
        String format = "%-" + nameW + "s  %-" + typeW + "s  %-" + shapeW + "s  %12s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, format, "Layer", "Type", "Output shape", "Param #"));
        String rule = "=".repeat(nameW + typeW + shapeW + 18) + "\n";
        sb.append(rule);
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, format, r.name(), r.type(), r.shape(), count(r.params())));
        }
        sb.append(rule);
        long total = 0;
        long trainable = 0;
        Set<Tensor> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor p : root.parameters()) {
            if (counted.add(p)) {
                total += p.numel();
                trainable += p.requiresGrad() ? p.numel() : 0;
            }
        }
        sb.append("Input shape: ").append(Arrays.toString(input.shape())).append(" (").append(input.dtype())
                .append(")\n");
        sb.append("Total params: ").append(count(total)).append('\n');
        sb.append("Trainable params: ").append(count(trainable)).append('\n');
        sb.append("Frozen params: ").append(count(total - trainable)).append('\n');
        return sb.toString();
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
