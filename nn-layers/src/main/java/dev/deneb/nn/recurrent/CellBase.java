package dev.deneb.nn.recurrent;

import dev.deneb.nn.Functional;
import dev.deneb.nn.Init;
import dev.deneb.nn.Layer;
import dev.deneb.nn.OptionChecks;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/** Parameters and input checks shared by the single-step cells ({@code weight_ih}, {@code weight_hh}, biases). */
public abstract class CellBase extends Layer {
    public final int inputSize;
    public final int hiddenSize;
    final CellType cell;
    final Tensor weightIh;
    final Tensor weightHh;
    final Tensor biasIh;
    final Tensor biasHh;

    CellBase(CellType cell, int inputSize, int hiddenSize, CellOptions options) {
        OptionChecks.requireOptions(getClass().getSimpleName(), options);
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": inputSize and hiddenSize must be >= 1,"
                    + " got " + inputSize + " and " + hiddenSize);
        }
        this.cell = RecurrentOptions.resolve(getClass().getSimpleName(), cell, options.nonlinearity());
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        Generator g = options.generator();
        boolean bias = options.bias();
        double k = 1 / Math.sqrt(hiddenSize);
        int gh = this.cell.gates * hiddenSize;
        weightIh = registerParameter("weight_ih", Init.uniform(g, -k, k, gh, inputSize));
        weightHh = registerParameter("weight_hh", Init.uniform(g, -k, k, gh, hiddenSize));
        biasIh = bias ? registerParameter("bias_ih", Init.uniform(g, -k, k, gh)) : null;
        biasHh = bias ? registerParameter("bias_hh", Init.uniform(g, -k, k, gh)) : null;
    }

    /** One step: returns h' (and c' for LSTM) as a {@link RecurrentOutput} of 2-D states. */
    RecurrentOutput step(Tensor input, Tensor h, Tensor c) {
        if (input.dim() != 2 || input.size(1) != inputSize) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected input [B, " + inputSize
                    + "], got " + Arrays.toString(input.shape()));
        }
        String name = getClass().getSimpleName();
        Functional.checkDType(name, input, weightIh);
        if (h != null) {
            Functional.checkDType(name + " (h)", h, weightIh);
        }
        if (c != null) {
            Functional.checkDType(name + " (c)", c, weightIh);
        }
        return Recurrence.layer(cell, input.unsqueeze(0), h, c, weightIh, weightHh, biasIh, biasHh, null, false);
    }

    @Override
    protected String describe() {
        return inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=false" : "");
    }
}
