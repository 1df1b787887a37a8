package dev.deneb.tensor.cpu;

import dev.deneb.tensor.Backends;
import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.GruPointwise;
import dev.deneb.tensor.LstmPointwise;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.RowNorm;
import dev.deneb.tensor.SoftmaxGrad;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * A fingerprint of the bits the fast CPU kernels produce on seeded inputs: sums and means (vector lane
 * reductions), softmax rows, the transcendental elementwise ops, row normalisation, GEMM, convolution, pooling and
 * the fused LSTM and GRU steps. Run as a program by
 * {@link JitIndependenceTest} in JVMs whose JIT does and does not compile the Vector API to SIMD code.
 */
public final class KernelChecksum {
    private KernelChecksum() {}

    public static void main(String[] args) {
        int warmup = Integer.parseInt(args[0]);
        long fingerprint = 0;
        for (int round = 0; round <= warmup; round++) {
            fingerprint = fingerprint();
        }
        System.out.println("checksum " + Long.toHexString(fingerprint));
    }

    static long fingerprint() {
        Backends.setCurrent(Backends.cpu());
        Generator g = new Generator(7);
        Tensor x = g.normal(0, 1, 37, 131);
        Tensor y = g.normal(0, 1, 131, 29);
        long h = 17;
        h = mix(h, x.sum());
        h = mix(h, x.mean(new int[] {1}, false));
        h = mix(h, x.sum(new int[] {0}, false));
        h = mix(h, x.softmax(1));
        h = mix(h, x.logSoftmax(0));
        Tensor up = g.normal(0, 1, x.shape());
        h = mix(h, SoftmaxGrad.backward(up, x.softmax(1), 1, false));
        h = mix(h, SoftmaxGrad.backward(up, x.logSoftmax(1), 1, true));
        for (Tensor t : new Tensor[] {x.abs().log(), x.abs().log1p(), x.sin(), x.cos(), x.softplus(), x.exp(),
                x.tanh(), x.sigmoid(), x.silu(), x.abs().sqrt(), x.var(new int[] {1}, 1, false)}) {
            h = mix(h, t);
        }
        RowNorm.Result r = RowNorm.forward(x, 1e-5);
        h = mix(h, r.normalized());
        h = mix(h, RowNorm.backward(g.normal(0, 1, 37, 131), r.normalized(), r.rstd()));
        h = mix(h, x.matmul(y));
        Tensor img = g.normal(0, 1, 2, 3, 12, 12);
        Tensor w = g.normal(0, 1, 4, 3, 3, 3);
        Tensor conv = Tensor.conv2d(img, w, null, ConvOptions.defaults().padding(1));
        h = mix(h, conv);
        h = mix(h, Tensor.conv2dWeightGrad(img, conv, w.shape(), ConvOptions.defaults().padding(1)));
        h = mix(h, conv.maxPool2d(PoolOptions.of(2)).values());
        h = mix(h, conv.avgPool2d(PoolOptions.of(3).stride(2).padding(1)));
        LstmPointwise.Step step = LstmPointwise.forward(g.normal(0, 1, 5, 4 * 33), g.normal(0, 1, 5, 33));
        h = mix(h, step.hidden());
        Tensor gi = g.normal(0, 1, 5, 3 * 33);
        Tensor gh = g.normal(0, 1, 5, 3 * 33);
        Tensor hPrev = g.normal(0, 1, 5, 33);
        GruPointwise.Step gru = GruPointwise.forward(gi, gh, hPrev);
        h = mix(h, gru.hidden());
        GruPointwise.Grads gruGrads = GruPointwise.backward(gru.activations(), gh, hPrev, g.normal(0, 1, 5, 33));
        h = mix(h, gruGrads.inputGates());
        h = mix(h, gruGrads.hiddenGates());
        return h;
    }

    private static long mix(long h, Tensor t) {
        return h * 31 + Arrays.hashCode(t.toFloatArray());
    }
}
