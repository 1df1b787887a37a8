package dev.deneb.tensor.cpu;

import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.GruPointwise;
import dev.deneb.tensor.LstmPointwise;
import dev.deneb.tensor.RowNorm;
import dev.deneb.tensor.SoftmaxGrad;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The child program of {@link VectorModuleAbsenceTest}: runs every f32 kernel that has a Vector API form (each
 * GEMM path, convolution forward and backward, elementwise ops, reductions, softmax, row norm, the LSTM and GRU
 * steps) on the default backend from seeded inputs, on two threads, and writes the results to the file named by
 * its first argument. It prints {@code vector=<on or off> gemmBits=<width>} so the parent knows which path ran.
 */
public final class VectorFreeOps {
    private VectorFreeOps() {}

    public static void main(String[] args) throws IOException {
        Threads.set(2);
        Map<String, float[]> out = results();
        try (DataOutputStream d = new DataOutputStream(Files.newOutputStream(Path.of(args[0])))) {
            for (Map.Entry<String, float[]> e : out.entrySet()) {
                d.writeUTF(e.getKey());
                d.writeInt(e.getValue().length);
                for (float v : e.getValue()) {
                    d.writeFloat(v);
                }
            }
        }
        System.out.println("vector=" + (VectorSupport.ENABLED ? "on" : "off") + " gemmBits=" + SgemmSettings.BITS
                + " elementwise=" + (FloatRuns.VECTOR ? "on" : "off"));
    }

    static Map<String, float[]> results() {
        Generator g = new Generator(14);
        Map<String, float[]> r = new LinkedHashMap<>();
        // Matrix products, one per Sgemm path: dot (a row against a transposed weight), direct (small), narrow
        // (C one vector wide), packed on one thread, and packed split over rows and over columns.
        Tensor w = g.normal(0, 1, 200, 300);
        r.put("matmul dot 1x300x200", g.normal(0, 1, 1, 300).matmul(w.t()).toFloatArray());
        r.put("matmul direct 5x40x30", g.normal(0, 1, 5, 40).matmul(g.normal(0, 1, 40, 30)).toFloatArray());
        r.put("matmul narrow 64x3x8", g.normal(0, 1, 64, 3).matmul(g.normal(0, 1, 3, 8)).toFloatArray());
        r.put("matmul packed 100x120x90", g.normal(0, 1, 100, 120).matmul(g.normal(0, 1, 120, 90)).toFloatArray());
        r.put("matmul rows 200x300x250", g.normal(0, 1, 200, 300).matmul(g.normal(0, 1, 300, 250)).toFloatArray());
        r.put("matmul columns 8x600x900", g.normal(0, 1, 8, 600).matmul(g.normal(0, 1, 600, 900)).toFloatArray());

        Tensor x = g.normal(0, 1, 4, 3, 17, 19);
        Tensor k = g.normal(0, 0.3, 8, 3, 3, 3);
        for (ConvOptions o : new ConvOptions[] {ConvOptions.defaults().padding(1), ConvOptions.defaults().stride(2)}) {
            String tag = " stride " + o.strideH() + " pad " + o.padH();
            Tensor y = Tensor.conv2d(x, k, null, o);
            Tensor gy = g.normal(0, 1, y.shape());
            r.put("conv2d" + tag, y.toFloatArray());
            r.put("conv2dInputGrad" + tag, Tensor.conv2dInputGrad(gy, k, x.shape(), o).toFloatArray());
            r.put("conv2dWeightGrad" + tag, Tensor.conv2dWeightGrad(x, gy, k.shape(), o).toFloatArray());
        }

        // 1003 elements: vector bodies and a scalar tail.
        Tensor u = g.normal(0, 2, 1003);
        r.put("tanh", u.tanh().toFloatArray());
        r.put("sigmoid", u.sigmoid().toFloatArray());
        r.put("silu", u.silu().toFloatArray());
        r.put("exp", u.exp().toFloatArray());
        r.put("relu", u.relu().toFloatArray());
        r.put("neg", u.neg().toFloatArray());
        r.put("sqrt abs", u.abs().sqrt().toFloatArray());
        r.put("reciprocal", u.reciprocal().toFloatArray());
        Tensor m = g.normal(0, 1, 37, 50);
        Tensor col = g.uniform(0.5, 2, 37, 1);
        r.put("add broadcast", m.add(col).toFloatArray());
        r.put("mul", m.mul(m).toFloatArray());
        r.put("div broadcast", m.div(col).toFloatArray());
        r.put("maximum", m.maximum(m.neg()).toFloatArray());
        r.put("sum rows", m.sum(1).toFloatArray());
        r.put("sum columns", m.sum(0).toFloatArray());
        r.put("sum all", new float[] {g.normal(0, 1, 100_003).sum().toFloatArray()[0]});
        r.put("amax rows", m.amax(new int[] {1}, false).toFloatArray());
        r.put("amin columns", m.amin(new int[] {0}, false).toFloatArray());
        Tensor logits = g.normal(0, 3, 33, 100);
        r.put("softmax", logits.softmax(1).toFloatArray());
        r.put("logSoftmax", logits.logSoftmax(1).toFloatArray());
        r.put("softmax axis 0", logits.softmax(0).toFloatArray());
        Tensor upstream = g.normal(0, 1, 33, 100);
        r.put("softmax backward", SoftmaxGrad.backward(upstream, logits.softmax(1), 1, false).toFloatArray());
        r.put("logSoftmax backward", SoftmaxGrad.backward(upstream, logits.logSoftmax(1), 1, true).toFloatArray());

        RowNorm.Result norm = RowNorm.forward(g.normal(1, 2, 9, 70), 1e-5);
        r.put("rowNorm", norm.normalized().toFloatArray());
        r.put("rowNorm backward", RowNorm.backward(g.normal(0, 1, 9, 70), norm.normalized(), norm.rstd())
                .toFloatArray());
        Tensor lnW = g.normal(1, 0.5, 70);
        r.put("layerNorm", RowNorm.affine(g.normal(1, 2, 9, 70), lnW, g.normal(0, 1, 70), 1e-5).toFloatArray());
        RowNorm.AffineGrads ln = RowNorm.affineBackward(g.normal(0, 1, 9, 70), norm.normalized(), norm.rstd(), lnW);
        r.put("layerNorm backward input", ln.input().toFloatArray());
        r.put("layerNorm backward weight", ln.weight().toFloatArray());
        r.put("layerNorm backward bias", ln.bias().toFloatArray());

        int b = 3;
        int h = 21;
        LstmPointwise.Step lstm = LstmPointwise.forward(g.normal(0, 1, b, 4 * h), g.normal(0, 1, b, h));
        r.put("lstm hidden", lstm.hidden().toFloatArray());
        r.put("lstm cell", lstm.cell().toFloatArray());
        Tensor cellPrev = g.normal(0, 1, b, h);
        LstmPointwise.Step lstm2 = LstmPointwise.forward(g.normal(0, 1, b, 4 * h), cellPrev);
        LstmPointwise.Grads lg = LstmPointwise.backward(lstm2.activations(), cellPrev, lstm2.tanhCell(),
                g.normal(0, 1, b, h), g.normal(0, 1, b, h));
        r.put("lstm gate grads", lg.gates().toFloatArray());
        r.put("lstm cellPrev grad", lg.cellPrev().toFloatArray());
        Tensor hiddenGates = g.normal(0, 1, b, 3 * h);
        Tensor hiddenPrev = g.normal(0, 1, b, h);
        GruPointwise.Step gru = GruPointwise.forward(g.normal(0, 1, b, 3 * h), hiddenGates, hiddenPrev);
        r.put("gru hidden", gru.hidden().toFloatArray());
        GruPointwise.Grads gg = GruPointwise.backward(gru.activations(), hiddenGates, hiddenPrev,
                g.normal(0, 1, b, h));
        r.put("gru input gate grads", gg.inputGates().toFloatArray());
        r.put("gru hidden gate grads", gg.hiddenGates().toFloatArray());
        r.put("gru hiddenPrev grad", gg.hiddenPrev().toFloatArray());
        return r;
    }
}
