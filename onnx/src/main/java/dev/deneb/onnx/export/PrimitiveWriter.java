package dev.deneb.onnx.export;

import static dev.deneb.onnx.proto.AttributeProto.ofFloat;
import static dev.deneb.onnx.proto.AttributeProto.ofInt;
import static dev.deneb.onnx.proto.AttributeProto.ofInts;
import static dev.deneb.onnx.proto.AttributeProto.ofString;

import dev.deneb.nn.recurrent.Recurrence;
import dev.deneb.onnx.OnnxException;
import dev.deneb.onnx.TensorProtos;
import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.CsrPattern;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Node;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.Primitive;
import dev.deneb.tensor.ScatterReduction;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.UnaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ONNX form (opset 17) of each recorded primitive. The switches are exhaustive, so a new primitive does not
 * compile until it has an ONNX form here or a clear refusal.
 */
final class PrimitiveWriter {
    private final GraphWriter g;
    private final TraceWalker walker;
    private final RecurrentWriter recurrent;

    PrimitiveWriter(GraphWriter g, TraceWalker walker) {
        this.g = g;
        this.walker = walker;
        this.recurrent = new RecurrentWriter(g);
    }

    /** Writes the nodes computing {@code t} (the result of {@code node}) and returns its name. */
    String write(Node node, Tensor t) {
        if (node.op() instanceof Primitive.Custom c && c.form() instanceof Recurrence.Form f) {
            return recurrent.write(f, walker); // reads the layer's own arguments, not the scan's inputs
        }
        List<String> in = new ArrayList<>();
        for (int i = 0; i < node.arity(); i++) {
            in.add(walker.value(node.edge(i)).name());
        }
        return switch (node.op()) {
            case Primitive.Unary u -> unary(u.op(), in.get(0), node.edge(0));
            case Primitive.Binary b -> binary(b.op(), in.get(0), in.get(1));
            case Primitive.Where w -> g.node("Where", in);
            case Primitive.Cast c -> g.node("Cast", in, ofInt("to", TensorProtos.dataType(t.dtype())));
            case Primitive.Transfer tr -> g.node("Identity", in);
            case Primitive.Copy c -> g.node("Identity", in);
            case Primitive.Reduce r -> reduce(r, in.get(0));
            case Primitive.Softmax s -> g.node(s.log() ? "LogSoftmax" : "Softmax", in, ofInt("axis", s.axis()));
            case Primitive.Cumulative c -> switch (c.op()) {
                case SUM -> g.node("CumSum", List.of(in.get(0), g.scalarInt(c.axis())));
                default -> refuse(node, "only cumsum has an ONNX form");
            };
            case Primitive.Norm n -> norm(node, n, in.get(0));
            case Primitive.Reshape r -> g.node("Reshape", List.of(in.get(0),
                    g.shape(ShapeUse.Kind.RESHAPE, t.shape(), r.from())));
            case Primitive.Permute p -> g.node("Transpose", in, ofInts("perm", p.order()));
            case Primitive.Expand e -> walker.onlyBroadcastingConsumers(t) ? in.get(0)
                    : g.node("Expand", List.of(in.get(0), g.shape(ShapeUse.Kind.EXPAND, t.shape(), e.from())));
            case Primitive.Slice s -> slice(s, in.get(0), node.inputShape(0));
            case Primitive.Diagonal d -> refuse(node, "diagonal views have no ONNX form in Deneb's exporter");
            case Primitive.RegionScatter r -> refuse(node, "writing into a view of a traced value has no ONNX form"
                    + " in Deneb's exporter; build the result with cat instead");
            case Primitive.Cat c -> g.node("Concat", in, ofInt("axis", c.axis()));
            case Primitive.IndexSelect s -> g.node("Gather", List.of(in.get(0), walker.value(s.index()).name()),
                    ofInt("axis", s.axis()));
            case Primitive.Gather ga -> g.node("GatherElements", List.of(in.get(0),
                    walker.value(ga.index()).name()), ofInt("axis", ga.axis()));
            case Primitive.Scatter s -> g.node("ScatterElements", List.of(in.get(0), walker.value(s.index()).name(),
                    in.get(1)), ofInt("axis", s.axis()), ofString("reduction", s.accumulate() ? "add" : "none"));
            case Primitive.ScatterReduce s -> scatterReduce(node, s, in);
            case Primitive.Matmul m -> g.node("MatMul", in);
            case Primitive.Linear l -> g.node("Gemm", in, ofInt("transB", 1));
            case Primitive.SparseMatmul s -> sparseMatmul(s.pattern(), in.get(0), in.get(1), node.inputShape(1));
            case Primitive.Inverse p -> refuseLinalg(node);
            case Primitive.Solve p -> refuseLinalg(node);
            case Primitive.Slogdet p -> refuseLinalg(node);
            case Primitive.Cholesky p -> refuseLinalg(node);
            case Primitive.Eigh p -> refuseLinalg(node);
            case Primitive.Qr p -> refuseLinalg(node);
            case Primitive.Svd p -> refuseLinalg(node);
            case Primitive.Conv2d c -> conv("Conv", c.options(), in, node.inputShape(1), null, null);
            case Primitive.Conv2dInputGrad c -> conv("ConvTranspose", c.options(), in, node.inputShape(1),
                    node.inputShape(0), c.inputShape());
            case Primitive.MaxPool2d p -> pool("MaxPool", p.options(), in.get(0));
            case Primitive.AvgPool2d p -> pool("AveragePool", p.options(), in.get(0));
            case Primitive.Conv2dWeightGrad c -> refuseBackward(node);
            case Primitive.MaxPool2dBackward p -> refuseBackward(node);
            case Primitive.AvgPool2dBackward p -> refuseBackward(node);
            case Primitive.RowNormalize r -> rowNormalize(r, in.get(0), t);
            case Primitive.AffineRowNormalize r -> g.node("LayerNormalization", in, ofInt("axis", -1),
                    ofFloat("epsilon", (float) r.eps()));
            case Primitive.Custom c -> refuse(node, "a custom op (Autograd.function) has no ONNX form; export"
                    + " the model without it or write it with Deneb's built-in ops");
        };
    }

    private String unary(UnaryOp op, String x, Tensor input) {
        return switch (op) {
            case NEG -> g.node("Neg", List.of(x));
            case ABS -> g.node("Abs", List.of(x));
            case SIGN -> g.node("Sign", List.of(x));
            case RELU -> g.node("Relu", List.of(x));
            case STEP -> g.node("Cast", List.of(g.node("Greater", List.of(x, zero(input)))),
                    ofInt("to", TensorProtos.dataType(input.dtype())));
            case FLOOR -> g.node("Floor", List.of(x));
            case CEIL -> g.node("Ceil", List.of(x));
            case ROUND -> g.node("Round", List.of(x));
            case TRUNC -> g.node("Mul", List.of(g.node("Sign", List.of(x)),
                    g.node("Floor", List.of(g.node("Abs", List.of(x))))));
            case EXP -> g.node("Exp", List.of(x));
            case LOG -> g.node("Log", List.of(x));
            case LOG1P -> g.node("Log", List.of(g.node("Add", List.of(x, scalar(input, 1)))));
            case SQRT -> g.node("Sqrt", List.of(x));
            case RSQRT -> g.node("Reciprocal", List.of(g.node("Sqrt", List.of(x))));
            case SIN -> g.node("Sin", List.of(x));
            case COS -> g.node("Cos", List.of(x));
            case TANH -> g.node("Tanh", List.of(x));
            case SIGMOID -> g.node("Sigmoid", List.of(x));
            case ERF -> g.node("Erf", List.of(x));
            case GELU -> {
                // Gelu is an ONNX op from opset 20; at 17 it is written out: x · ½ · (1 + erf(x / √2)).
                String erf = g.node("Erf", List.of(g.node("Mul", List.of(x, scalar(input, 1 / Math.sqrt(2))))));
                String half = g.node("Mul", List.of(x, scalar(input, 0.5)));
                yield g.node("Mul", List.of(half, g.node("Add", List.of(erf, scalar(input, 1)))));
            }
            case SILU -> g.node("Mul", List.of(x, g.node("Sigmoid", List.of(x))));
            case SOFTPLUS -> {
                // Deneb (as PyTorch) is linear above 20; ONNX's Softplus is not, and overflows sooner in f32.
                String big = g.node("Greater", List.of(x, scalar(input, 20)));
                yield g.node("Where", List.of(big, x, g.node("Softplus", List.of(x))));
            }
            case HARDSWISH -> g.node("HardSwish", List.of(x));
            case RECIPROCAL -> g.node("Reciprocal", List.of(x));
        };
    }

    private String binary(BinaryOp op, String a, String b) {
        List<String> in = List.of(a, b);
        return switch (op) {
            case ADD -> g.node("Add", in);
            case SUB -> g.node("Sub", in);
            case MUL -> g.node("Mul", in);
            case DIV -> g.node("Div", in);
            case POW -> g.node("Pow", in);
            case MAXIMUM -> g.node("Max", in);
            case MINIMUM -> g.node("Min", in);
            case REMAINDER -> {
                // Python's remainder (the divisor's sign): a - floor(a / b) · b.
                String q = g.node("Floor", List.of(g.node("Div", in)));
                yield g.node("Sub", List.of(a, g.node("Mul", List.of(q, b))));
            }
            case FMOD -> g.node("Mod", in, ofInt("fmod", 1));
            case EQ -> g.node("Equal", in);
            case NE -> g.node("Not", List.of(g.node("Equal", in)));
            case LT -> g.node("Less", in);
            case LE -> g.node("LessOrEqual", in);
            case GT -> g.node("Greater", in);
            case GE -> g.node("GreaterOrEqual", in);
        };
    }

    private String reduce(Primitive.Reduce r, String x) {
        int keep = r.keepdim() ? 1 : 0;
        return switch (r.op()) {
            case SUM -> g.node("ReduceSum", List.of(x, g.ints(longs(r.axes()))), ofInt("keepdims", keep));
            case PROD -> g.node("ReduceProd", List.of(x), ofInts("axes", r.axes()), ofInt("keepdims", keep));
            case MAX -> g.node("ReduceMax", List.of(x), ofInts("axes", r.axes()), ofInt("keepdims", keep));
            case MIN -> g.node("ReduceMin", List.of(x), ofInts("axes", r.axes()), ofInt("keepdims", keep));
        };
    }

    private String norm(Node node, Primitive.Norm n, String x) {
        int keep = n.keepdim() ? 1 : 0;
        if (n.p() == 2) {
            return g.node("ReduceL2", List.of(x), ofInts("axes", n.axes()), ofInt("keepdims", keep));
        }
        if (n.p() == 1) {
            return g.node("ReduceL1", List.of(x), ofInts("axes", n.axes()), ofInt("keepdims", keep));
        }
        if (n.p() == Double.POSITIVE_INFINITY) {
            return g.node("ReduceMax", List.of(g.node("Abs", List.of(x))), ofInts("axes", n.axes()),
                    ofInt("keepdims", keep));
        }
        return refuse(node, "only the 1-, 2- and infinity-norms have an ONNX form (got p = " + n.p() + ")");
    }

    private String slice(Primitive.Slice s, String x, int[] inShape) {
        // A slice to the end stays "to the end" whatever the size at run time; other bounds are noted, so that one
        // that keeps its distance to the end of a symbolic axis is written from the end (DynamicAxes).
        int size = inShape[s.axis()];
        String end = s.end() >= size ? g.ints(Long.MAX_VALUE)
                : g.shape(ShapeUse.Kind.SLICE_BOUND, new int[] {s.end()}, new int[] {size});
        String start = g.shape(ShapeUse.Kind.SLICE_BOUND, new int[] {s.start()}, new int[] {size});
        return g.node("Slice", List.of(x, start, end, g.ints(s.axis()), g.ints(s.step())));
    }

    private String scatterReduce(Node node, Primitive.ScatterReduce s, List<String> in) {
        if (!s.includeSelf() || s.reduction() == ScatterReduction.MEAN) {
            return refuse(node, "scatterReduce has an ONNX form (ScatterElements) only for sum, amax and amin with"
                    + " includeSelf = true");
        }
        String reduction = switch (s.reduction()) {
            case SUM -> "add";
            case AMAX -> "max";
            case AMIN -> "min";
            case MEAN -> throw new AssertionError();
        };
        return g.node("ScatterElements", List.of(in.get(0), walker.value(s.index()).name(), in.get(1)),
                ofInt("axis", s.axis()), ofString("reduction", reduction));
    }

    /**
     * A CSR product as ONNX has no sparse matmul: the dense rows each stored entry reads (Gather), scaled by the
     * values, added into their output rows (ScatterElements with reduction add).
     */
    private String sparseMatmul(CsrPattern p, String values, String dense, int[] denseShape) {
        int n = denseShape[1];
        String cols = g.constant(null, p.columns());
        String rows = g.constant(null, p.entryRows().reshape(p.nnz(), 1).expand(p.nnz(), n).contiguous());
        String picked = g.node("Gather", List.of(dense, cols), ofInt("axis", 0));
        String scaled = g.node("Mul", List.of(picked, g.node("Unsqueeze", List.of(values, g.ints(1)))));
        String zeros = g.constant(null, Tensor.zeros(DType.F32, p.rows(), n));
        return g.node("ScatterElements", List.of(zeros, rows, scaled), ofInt("axis", 0),
                ofString("reduction", "add"));
    }

    private String conv(String op, ConvOptions o, List<String> in, int[] w, int[] x, int[] outShape) {
        List<dev.deneb.onnx.proto.AttributeProto> a = new ArrayList<>(List.of(
                ofInts("kernel_shape", w[2], w[3]),
                ofInts("strides", o.strideH(), o.strideW()),
                ofInts("pads", o.padH(), o.padW(), o.padH(), o.padW()),
                ofInts("dilations", o.dilationH(), o.dilationW()),
                ofInt("group", o.groups())));
        if (outShape != null) {
            // The transposed convolution's output size is ambiguous by up to stride − 1: name the extra rows.
            int ph = outShape[2] - ((x[2] - 1) * o.strideH() - 2 * o.padH() + o.dilationH() * (w[2] - 1) + 1);
            int pw = outShape[3] - ((x[3] - 1) * o.strideW() - 2 * o.padW() + o.dilationW() * (w[3] - 1) + 1);
            a.add(ofInts("output_padding", ph, pw));
        }
        return g.node(op, in, a.toArray(new dev.deneb.onnx.proto.AttributeProto[0]));
    }

    private String pool(String op, PoolOptions o, String x) {
        List<dev.deneb.onnx.proto.AttributeProto> a = new ArrayList<>(List.of(
                ofInts("kernel_shape", o.kernelH(), o.kernelW()),
                ofInts("strides", o.strideH(), o.strideW()),
                ofInts("pads", o.padH(), o.padW(), o.padH(), o.padW()),
                ofInt("ceil_mode", o.ceilMode() ? 1 : 0)));
        if (op.equals("MaxPool")) {
            a.add(ofInts("dilations", o.dilationH(), o.dilationW()));
        } else {
            if (o.dilationH() != 1 || o.dilationW() != 1) {
                throw new OnnxException("onnx export: avgPool2d with dilation " + o.dilationH() + "x" + o.dilationW()
                        + " has no ONNX form at opset 17");
            }
            a.add(ofInt("count_include_pad", o.countIncludePad() ? 1 : 0));
        }
        return g.node(op, List.of(x), a.toArray(new dev.deneb.onnx.proto.AttributeProto[0]));
    }

    /** Rows normalised over the last axis: LayerNormalization with unit scale and zero bias. */
    private String rowNormalize(Primitive.RowNormalize r, String x, Tensor t) {
        int features = t.size(-1);
        String scale = g.constant(null, Tensor.ones(t.dtype(), features));
        String bias = g.constant(null, Tensor.zeros(t.dtype(), features));
        return g.node("LayerNormalization", List.of(x, scale, bias), ofInt("axis", -1),
                ofFloat("epsilon", (float) r.eps()));
    }

    private String zero(Tensor like) {
        return g.constant(null, Tensor.full(0, like.dtype()));
    }

    private String scalar(Tensor like, double v) {
        DType d = like.dtype().isFloating() ? like.dtype() : DType.F32;
        return g.constant(null, Tensor.full(v, d));
    }

    private static long[] longs(int[] v) {
        return Arrays.stream(v).asLongStream().toArray();
    }

    private static String refuse(Node node, String why) {
        throw new OnnxException("onnx export: op '" + node.op().name() + "' has no ONNX form: " + why);
    }

    private static String refuseLinalg(Node node) {
        return refuse(node, "ONNX has no linear-algebra decompositions or solvers (a constant one is folded;"
                + " this one depends on the model's input)");
    }

    private static String refuseBackward(Node node) {
        return refuse(node, "it is a gradient op; export a forward pass");
    }
}
