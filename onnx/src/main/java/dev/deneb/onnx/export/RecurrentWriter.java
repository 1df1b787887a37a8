package dev.deneb.onnx.export;

import static dev.deneb.onnx.proto.AttributeProto.ofInt;
import static dev.deneb.onnx.proto.AttributeProto.ofString;

import dev.deneb.nn.recurrent.CellType;
import dev.deneb.nn.recurrent.Recurrence;
import dev.deneb.onnx.OnnxException;
import dev.deneb.onnx.proto.AttributeProto;
import dev.deneb.onnx.proto.DataType;
import dev.deneb.tensor.Tape;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * One recurrent layer in one direction ({@link Recurrence.Form}) as ONNX's LSTM, GRU or RNN node, with the weights
 * reordered from PyTorch's gate order (LSTM i f g o, GRU r z n) to ONNX's (LSTM i o f c, GRU z r h). The node's
 * outputs are packed as the scan packs them: every step's output, then the final hidden (and cell) state.
 */
final class RecurrentWriter {
    private final GraphWriter g;

    RecurrentWriter(GraphWriter g) {
        this.g = g;
    }

    String write(Recurrence.Form f, TraceWalker walker) {
        int h = f.wHh().size(1);
        int[] order = switch (f.cell()) {
            case LSTM -> new int[] {0, 3, 1, 2};
            case GRU -> new int[] {1, 0, 2};
            case RNN_TANH, RNN_RELU -> new int[] {0};
        };
        String op = switch (f.cell()) {
            case LSTM -> "LSTM";
            case GRU -> "GRU";
            case RNN_TANH, RNN_RELU -> "RNN";
        };
        List<String> in = new ArrayList<>();
        in.add(walker.value(f.x()).name());
        in.add(g.constant(null, gates(weight(f.wIh(), "weight_ih"), order, h).unsqueeze(0)));
        in.add(g.constant(null, gates(weight(f.wHh(), "weight_hh"), order, h).unsqueeze(0)));
        if (f.bIh() != null || f.bHh() != null) {
            Tensor bIh = f.bIh() != null ? weight(f.bIh(), "bias_ih") : Tensor.zeros(f.wHh().dtype(), f.wHh().size(0));
            Tensor bHh = f.bHh() != null ? weight(f.bHh(), "bias_hh") : Tensor.zeros(f.wHh().dtype(), f.wHh().size(0));
            in.add(g.constant(null, Tensor.cat(0, gates(bIh, order, h), gates(bHh, order, h)).unsqueeze(0)));
        } else {
            in.add("");
        }
        if (f.valid() != null) {
            // Prefix masks are lengths: ONNX's sequence_lens (INT32 [B]) is the count of valid steps.
            String asInt = g.node("Cast", List.of(walker.value(f.valid()).name()), ofInt("to", DataType.INT32));
            in.add(g.node("ReduceSum", List.of(asInt, g.ints(0)), ofInt("keepdims", 0)));
        } else {
            in.add("");
        }
        in.add(f.h0() == null ? "" : g.node("Unsqueeze", List.of(walker.value(f.h0()).name(), g.ints(0))));
        if (f.cell() == CellType.LSTM) {
            in.add(f.c0() == null ? "" : g.node("Unsqueeze", List.of(walker.value(f.c0()).name(), g.ints(0))));
        }
        while (in.get(in.size() - 1).isEmpty()) {
            in.remove(in.size() - 1);
        }
        List<AttributeProto> a = new ArrayList<>(List.of(ofInt("hidden_size", h),
                ofString("direction", f.reverse() ? "reverse" : "forward")));
        if (f.cell() == CellType.GRU) {
            a.add(ofInt("linear_before_reset", 1)); // PyTorch's GRU applies the reset gate after the product
        }
        if (f.cell() == CellType.RNN_RELU) {
            a.add(AttributeProto.ofStrings("activations", "Relu"));
        }
        int outputs = f.cell() == CellType.LSTM ? 3 : 2;
        String[] y = g.nodes(op, in, outputs, a.toArray(new AttributeProto[0]));
        List<String> packed = new ArrayList<>();
        packed.add(g.node("Squeeze", List.of(y[0], g.ints(1))));   // Y [T, 1, B, H] → [T, B, H]
        packed.add(y[1]);                                            // Y_h [1, B, H]
        if (outputs == 3) {
            packed.add(y[2]);                                        // Y_c [1, B, H]
        }
        return g.node("Concat", packed, ofInt("axis", 0));
    }

    /** The gate blocks of {@code w} (rows, or entries of a bias) in the given order. */
    private static Tensor gates(Tensor w, int[] order, int h) {
        List<Tensor> blocks = new ArrayList<>();
        for (int k : order) {
            blocks.add(w.narrow(0, k * h, h));
        }
        return Tensor.cat(0, blocks).contiguous();
    }

    private static Tensor weight(Tensor w, String what) {
        if (Tape.node(w) != null && w.requiresGrad()) {
            throw new OnnxException("onnx export: a recurrent layer's " + what + " is computed in forward (by '"
                    + Tape.node(w).op().name() + "'); only stored weights can be written as ONNX initializers");
        }
        return w.detach();
    }
}
