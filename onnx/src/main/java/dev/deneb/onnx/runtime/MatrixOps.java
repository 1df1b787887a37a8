package dev.deneb.onnx.runtime;

import static dev.deneb.onnx.runtime.ElementwiseOps.one;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/** Matrix products: MatMul (NumPy semantics, batched and broadcast), Gemm and Einsum. */
final class MatrixOps {
    private MatrixOps() {}

    static void register(OpRegistry r) {
        r.add("MatMul", 2, 2, c -> one(c.input(0).matmul(c.input(1))));
        r.add("Gemm", 2, 3, MatrixOps::gemm);
        r.add("Einsum", 1, Integer.MAX_VALUE, c -> {
            String equation = c.stringAttr("equation", null);
            if (equation == null) {
                throw c.error("the 'equation' attribute is missing");
            }
            Tensor[] operands = new Tensor[c.inputCount()];
            for (int k = 0; k < operands.length; k++) {
                operands[k] = c.input(k);
            }
            return one(Tensor.einsum(equation.replace(" ", ""), operands));
        });
    }

    /** {@code alpha·A'·B' + beta·C}, where A' and B' are A and B transposed on request. */
    private static Tensor[] gemm(OpCall c) {
        Tensor a = c.input(0);
        Tensor b = c.input(1);
        if (a.dim() != 2 || b.dim() != 2) {
            throw c.error("A and B should be matrices, got " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()));
        }
        if (c.intAttr("transA", 0) == 1) {
            a = a.t();
        }
        if (c.intAttr("transB", 0) == 1) {
            b = b.t();
        }
        if (a.size(1) != b.size(0)) {
            throw c.error("A' " + Arrays.toString(a.shape()) + " and B' " + Arrays.toString(b.shape())
                    + " (after transA/transB) do not multiply");
        }
        double alpha = c.floatAttr("alpha", 1.0);
        double beta = c.floatAttr("beta", 1.0);
        Tensor y = a.matmul(b);
        if (alpha != 1) {
            y = y.mul(alpha);
        }
        Tensor bias = c.optionalInput(2);
        if (bias != null && beta != 0) {
            y = y.add(beta == 1 ? bias : bias.mul(beta));
        }
        return one(y);
    }
}
