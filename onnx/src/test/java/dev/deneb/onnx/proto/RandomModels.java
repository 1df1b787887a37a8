package dev.deneb.onnx.proto;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random ONNX models that use every field the records hold, for round-trip and fuzz tests. */
final class RandomModels {
    static final int[] SIZED_TYPES = {DataType.FLOAT, DataType.UINT8, DataType.INT8, DataType.UINT16,
        DataType.INT16, DataType.INT32, DataType.INT64, DataType.BOOL, DataType.FLOAT16, DataType.DOUBLE,
        DataType.UINT32, DataType.UINT64, DataType.BFLOAT16};
    private static final String[] NAMES = {"x", "weight", "batch", "", "é", "层", "😀 emoji", "a.b/c:0",
        "onnx::MatMul_12"};

    private final Random rnd;
    private final int maxNodes;

    RandomModels(long seed, int maxNodes) {
        this.rnd = new Random(seed);
        this.maxNodes = maxNodes;
    }

    ModelProto model() {
        List<OperatorSetId> opsets = new ArrayList<>();
        opsets.add(new OperatorSetId("", 13 + rnd.nextInt(9)));
        if (rnd.nextBoolean()) {
            opsets.add(new OperatorSetId("com.microsoft", 1));
        }
        return new ModelProto(3 + rnd.nextInt(8), opsets, name(), name(), graph(0));
    }

    GraphProto graph(int depth) {
        List<NodeProto> nodes = new ArrayList<>();
        for (int i = 0, n = rnd.nextInt(maxNodes + 1); i < n; i++) {
            nodes.add(node(depth));
        }
        List<TensorProto> inits = new ArrayList<>();
        for (int i = 0, n = rnd.nextInt(4); i < n; i++) {
            inits.add(tensor());
        }
        List<ValueInfoProto> inputs = new ArrayList<>();
        List<ValueInfoProto> outputs = new ArrayList<>();
        for (int i = 0, n = rnd.nextInt(3); i < n; i++) {
            inputs.add(valueInfo());
        }
        for (int i = 0, n = rnd.nextInt(3); i < n; i++) {
            outputs.add(valueInfo());
        }
        return new GraphProto(name(), nodes, inits, inputs, outputs);
    }

    NodeProto node(int depth) {
        List<String> inputs = new ArrayList<>();
        for (int i = 0, n = rnd.nextInt(4); i < n; i++) {
            inputs.add(name()); // "" included: an omitted optional input
        }
        List<String> outputs = new ArrayList<>();
        for (int i = 0, n = rnd.nextInt(3); i < n; i++) {
            outputs.add(name());
        }
        List<AttributeProto> attrs = new ArrayList<>();
        for (int i = 0, n = rnd.nextInt(4); i < n; i++) {
            attrs.add(attribute(depth));
        }
        return new NodeProto(name(), "Op" + rnd.nextInt(5), rnd.nextInt(4) == 0 ? "com.microsoft" : "", inputs,
                outputs, attrs);
    }

    AttributeProto attribute(int depth) {
        String name = name();
        AttributeProto.Type[] types = AttributeProto.Type.values();
        AttributeProto.Type type = types[rnd.nextInt(types.length)];
        return switch (type) {
            case FLOAT -> AttributeProto.ofFloat(name, rnd.nextInt(8) == 0 ? Float.NaN : (float) rnd.nextGaussian());
            case INT -> AttributeProto.ofInt(name, rnd.nextBoolean() ? rnd.nextLong() : rnd.nextInt(10) - 5);
            case STRING -> new AttributeProto(name, type, 0, 0, bytes(rnd.nextInt(6)), null, null, null, null, null);
            case TENSOR -> AttributeProto.ofTensor(name, tensor());
            case GRAPH -> depth < 2 ? new AttributeProto(name, type, 0, 0, null, null, graph(depth + 1), null, null,
                    null) : AttributeProto.ofInt(name, 1);
            case FLOATS -> {
                float[] v = new float[rnd.nextInt(5)];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) rnd.nextGaussian();
                }
                yield AttributeProto.ofFloats(name, v);
            }
            case INTS -> {
                long[] v = new long[rnd.nextInt(5)];
                for (int i = 0; i < v.length; i++) {
                    v[i] = rnd.nextBoolean() ? rnd.nextLong() : rnd.nextInt(7) - 3;
                }
                yield AttributeProto.ofInts(name, v);
            }
            case STRINGS -> {
                List<byte[]> v = new ArrayList<>();
                for (int i = 0, n = rnd.nextInt(4); i < n; i++) {
                    v.add(bytes(rnd.nextInt(4)));
                }
                yield new AttributeProto(name, type, 0, 0, null, null, null, null, null, v);
            }
            // kinds whose values Deneb does not keep: only the type survives
            default -> new AttributeProto(name, type, 0, 0, null, null, null, null, null, null);
        };
    }

    TensorProto tensor() {
        int type = SIZED_TYPES[rnd.nextInt(SIZED_TYPES.length)];
        long[] dims = new long[rnd.nextInt(4)];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = rnd.nextInt(4);
            numel *= dims[i];
        }
        return new TensorProto(name(), type, dims, bytes((int) numel * DataType.size(type)));
    }

    ValueInfoProto valueInfo() {
        int kind = rnd.nextInt(5);
        if (kind == 0) {
            return new ValueInfoProto(name(), 0, null); // a non-tensor (or untyped) value
        }
        int elem = SIZED_TYPES[rnd.nextInt(SIZED_TYPES.length)];
        if (kind == 1) {
            return new ValueInfoProto(name(), elem, null); // unknown shape
        }
        List<ValueInfoProto.Dim> shape = new ArrayList<>();
        for (int i = 0, n = rnd.nextInt(4); i < n; i++) {
            shape.add(switch (rnd.nextInt(3)) {
                case 0 -> ValueInfoProto.Dim.of(rnd.nextInt(100));
                case 1 -> ValueInfoProto.Dim.named(rnd.nextBoolean() ? "batch" : "seq_len");
                default -> new ValueInfoProto.Dim(-1, null); // unknown size
            });
        }
        return new ValueInfoProto(name(), elem, shape);
    }

    private String name() {
        return NAMES[rnd.nextInt(NAMES.length)] + (rnd.nextBoolean() ? "" : Integer.toString(rnd.nextInt(100)));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
