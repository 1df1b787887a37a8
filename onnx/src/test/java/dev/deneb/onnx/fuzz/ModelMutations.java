package dev.deneb.onnx.fuzz;

import dev.deneb.onnx.OnnxModel;
import dev.deneb.onnx.proto.AttributeProto;
import dev.deneb.onnx.proto.GraphProto;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.onnx.proto.NodeProto;
import dev.deneb.onnx.proto.TensorProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of valid models at the level of their messages, which the wire-level fuzz rarely reaches: an
 * attribute set to an edge value, an input dropped, added or rewired, an operator swapped for another, an
 * initializer's shape changed. Every case is reproducible from the seed and its name.
 */
final class ModelMutations {
    /** One mutated model and how it was made. */
    record Case(String name, ModelProto model) {}

    private static final long[] EDGES = {0, -1, 1, 2, 7, -7, 1L << 31, -(1L << 31), Long.MAX_VALUE, 1 << 20};
    private static final float[] FLOATS = {0, -1, Float.NaN, Float.POSITIVE_INFINITY, 1e30f, 1e-30f};

    private final Random random;
    private final List<String> ops = List.copyOf(OnnxModel.supportedOperators());

    ModelMutations(long seed) {
        this.random = new Random(seed);
    }

    List<Case> of(String name, ModelProto m, int count) {
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            GraphProto g = m.graph();
            List<NodeProto> nodes = new ArrayList<>(g.nodes());
            List<TensorProto> inits = new ArrayList<>(g.initializers());
            String how;
            int kind = random.nextInt(inits.isEmpty() ? 4 : 5);
            if (kind < 4 && nodes.isEmpty()) {
                continue;
            }
            int at = nodes.isEmpty() ? 0 : random.nextInt(nodes.size());
            switch (kind) {
                case 0 -> {
                    NodeProto n = nodes.get(at);
                    if (n.attributes().isEmpty()) {
                        continue;
                    }
                    int k = random.nextInt(n.attributes().size());
                    AttributeProto a = mutate(n.attributes().get(k));
                    List<AttributeProto> attrs = new ArrayList<>(n.attributes());
                    attrs.set(k, a);
                    nodes.set(at, withAttributes(n, attrs));
                    how = n.name() + "." + a.name() + " changed";
                }
                case 1 -> {
                    NodeProto n = nodes.get(at);
                    List<String> in = new ArrayList<>(n.inputs());
                    int r = random.nextInt(3);
                    if (r == 0 && !in.isEmpty()) {
                        in.remove(random.nextInt(in.size()));
                    } else if (r == 1) {
                        in.add(random.nextBoolean() ? "" : valueName(g, nodes, at));
                    } else if (!in.isEmpty()) {
                        in.set(random.nextInt(in.size()), valueName(g, nodes, at));
                    }
                    nodes.set(at, new NodeProto(n.name(), n.opType(), n.domain(), in, n.outputs(), n.attributes()));
                    how = n.name() + " inputs " + in;
                }
                case 2 -> {
                    NodeProto n = nodes.get(at);
                    String op = ops.get(random.nextInt(ops.size()));
                    nodes.set(at, new NodeProto(n.name(), op, n.domain(), n.inputs(), n.outputs(), n.attributes()));
                    how = n.name() + " as " + op;
                }
                case 3 -> {
                    NodeProto n = nodes.get(at);
                    List<String> outs = new ArrayList<>(n.outputs());
                    outs.add("extra_output");
                    nodes.set(at, new NodeProto(n.name(), n.opType(), n.domain(), n.inputs(), outs, n.attributes()));
                    how = n.name() + " with an extra output";
                }
                default -> {
                    int k = random.nextInt(inits.size());
                    TensorProto t = inits.get(k);
                    long[] dims = t.dims().clone();
                    if (dims.length > 0 && random.nextBoolean()) {
                        dims[random.nextInt(dims.length)] = EDGES[random.nextInt(EDGES.length)];
                    } else {
                        dims = new long[] {t.numel()}; // same data, another rank
                    }
                    inits.set(k, new TensorProto(t.name(), t.dataType(), dims, t.raw()));
                    how = "initializer " + t.name() + " dims " + java.util.Arrays.toString(dims);
                }
            }
            GraphProto mutated = new GraphProto(g.name(), nodes, inits, g.inputs(), g.outputs());
            out.add(new Case(name + ": " + how, new ModelProto(m.irVersion(), m.opsetImport(), m.producerName(),
                    m.producerVersion(), mutated)));
        }
        return out;
    }

    private AttributeProto mutate(AttributeProto a) {
        return switch (a.type()) {
            case INT -> AttributeProto.ofInt(a.name(), EDGES[random.nextInt(EDGES.length)]);
            case FLOAT -> AttributeProto.ofFloat(a.name(), FLOATS[random.nextInt(FLOATS.length)]);
            case INTS -> {
                long[] v = a.ints().clone();
                if (v.length == 0 || random.nextInt(4) == 0) {
                    v = java.util.Arrays.copyOf(v, random.nextInt(6));
                } else {
                    v[random.nextInt(v.length)] = EDGES[random.nextInt(EDGES.length)];
                }
                yield AttributeProto.ofInts(a.name(), v);
            }
            case STRING -> AttributeProto.ofString(a.name(), random.nextBoolean() ? "" : "NOT_A_MODE");
            default -> AttributeProto.ofInt(a.name(), 1); // the wrong type for this attribute
        };
    }

    /** A value defined somewhere in the graph (maybe after node {@code at}: an undefined input at that point). */
    private String valueName(GraphProto g, List<NodeProto> nodes, int at) {
        List<String> names = new ArrayList<>();
        g.inputs().forEach(v -> names.add(v.name()));
        g.initializers().forEach(t -> names.add(t.name()));
        nodes.forEach(n -> names.addAll(n.outputs()));
        return names.isEmpty() ? "missing" : names.get(random.nextInt(names.size()));
    }

    private static NodeProto withAttributes(NodeProto n, List<AttributeProto> attrs) {
        return new NodeProto(n.name(), n.opType(), n.domain(), n.inputs(), n.outputs(), attrs);
    }
}
