package dev.deneb.onnx.runtime;

import static dev.deneb.onnx.runtime.ElementwiseOps.one;

import dev.deneb.nn.Functional;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * Normalisation layers (BatchNormalization in inference form, LayerNormalization, InstanceNormalization,
 * GroupNormalization) and Dropout, which is the identity at inference.
 */
final class NormalizationOps {
    private NormalizationOps() {}

    static void register(OpRegistry r) {
        r.add("BatchNormalization", 5, 5, 3, NormalizationOps::batchNorm);
        r.add("LayerNormalization", 2, 3, 3, NormalizationOps::layerNorm);
        r.add("InstanceNormalization", 3, 3, c -> one(Functional.instanceNorm(c.input(0), null, null, c.input(1),
                c.input(2), true, 0, c.floatAttr("epsilon", 1e-5))));
        r.add("GroupNormalization", 3, 3, NormalizationOps::groupNorm);
        r.add("Dropout", 1, 3, 2, NormalizationOps::dropout);
    }

    private static Tensor[] batchNorm(OpCall c) {
        if (c.intAttr("training_mode", 0) == 1 || c.wantsOutput(1) || c.wantsOutput(2)) {
            throw c.error("training mode (batch statistics and running-statistics outputs) is not supported;"
                    + " Deneb runs BatchNormalization with the stored statistics");
        }
        Tensor x = c.input(0);
        if (x.dim() < 2 || x.size(1) != c.input(1).numel()) {
            throw c.error("expected input [N, C, ...] with C = " + c.input(1).numel() + " (the scale's size), got "
                    + Arrays.toString(x.shape()));
        }
        return one(Functional.batchNorm(x, c.input(3), c.input(4), c.input(1), c.input(2), false, 0,
                c.floatAttr("epsilon", 1e-5)));
    }

    private static Tensor[] layerNorm(OpCall c) {
        Tensor x = c.input(0);
        int axis = c.axis(c.intAttr("axis", -1), x.dim());
        double eps = c.floatAttr("epsilon", 1e-5);
        int[] normalized = Arrays.copyOfRange(x.shape(), axis, x.dim());
        Tensor y = Functional.layerNorm(x, normalized, null, null, eps).mul(c.input(1));
        Tensor bias = c.optionalInput(2);
        Tensor[] out = {bias == null ? y : y.add(bias), null, null};
        if (c.wantsOutput(1) || c.wantsOutput(2)) {
            int[] axes = new int[normalized.length];
            for (int k = 0; k < axes.length; k++) {
                axes[k] = axis + k;
            }
            Tensor mean = x.mean(axes, true);
            Tensor centered = x.sub(mean);
            out[1] = mean;
            out[2] = centered.mul(centered).mean(axes, true).add(eps).rsqrt();
        }
        return out;
    }

    private static Tensor[] groupNorm(OpCall c) {
        Tensor x = c.input(0);
        int groups = c.intAttrAsInt("num_groups", -1);
        if (x.dim() < 2 || groups < 1 || x.size(1) % groups != 0) {
            throw c.error("num_groups " + groups + " should divide the channels of input [N, C, ...], got "
                    + Arrays.toString(x.shape()));
        }
        int channels = x.size(1);
        Tensor y = Functional.groupNorm(x, groups, null, null, c.floatAttr("epsilon", 1e-5));
        Tensor scale = perChannel(c, c.input(1), groups, channels);
        Tensor bias = perChannel(c, c.input(2), groups, channels);
        int[] shape = Values.along(x.dim(), 1, channels);
        return one(y.mul(scale.reshape(shape)).add(bias.reshape(shape)));
    }

    /** Opset 18 gives one scale per group, opset 21 one per channel: both become one per channel. */
    private static Tensor perChannel(OpCall c, Tensor t, int groups, int channels) {
        if (t.numel() == channels) {
            return t.reshape(channels);
        }
        if (t.numel() == groups) {
            return t.reshape(groups).repeatInterleave(channels / groups, 0);
        }
        throw c.error("scale and bias should have " + channels + " (channels) or " + groups + " (groups) values, got "
                + Arrays.toString(t.shape()));
    }

    private static Tensor[] dropout(OpCall c) {
        Tensor training = c.optionalInput(2);
        if (training != null && training.to(DType.BOOL).toBooleanArray()[0]) {
            throw c.error("training_mode true is not supported (Deneb runs Dropout as the identity)");
        }
        Tensor x = c.input(0);
        Tensor mask = c.wantsOutput(1) ? Tensor.full(1, DType.BOOL, x.shape()) : null;
        return new Tensor[] {x, mask};
    }
}
