package dev.deneb.nn.attention;

import dev.deneb.nn.Functional;
import dev.deneb.nn.Init;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Layer;
import dev.deneb.nn.OptionChecks;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/**
 * Multi-head attention as {@code torch.nn.MultiheadAttention}, with PyTorch's parameter names: packed
 * {@code in_proj_weight [3E, E]} when key and value have the model width, else separate {@code q_proj_weight [E, E]},
 * {@code k_proj_weight [E, kdim]}, {@code v_proj_weight [E, vdim]}; {@code in_proj_bias [3E]}; {@code out_proj.weight},
 * {@code out_proj.bias}.
 *
 * <p>Inputs are {@code [B, L, E]} with {@code batchFirst}, {@code [L, B, E]} without, or unbatched {@code [L, E]}. Masks
 * follow PyTorch: {@code keyPaddingMask [B, S]} (bool, true = ignore that key; or float, added), {@code attnMask
 * [L, S]} or {@code [B·heads, L, S]} (bool, true = not allowed; or float, added). All heads are computed with one
 * batched matmul over {@code [B, heads, L, E/heads]}.
 */
public final class MultiheadAttention extends Layer {
    /**
     * PyTorch's keyword arguments of {@code nn.MultiheadAttention}; setters return a new record.
     *
     * @param dropout    dropout on the attention weights while training (default 0)
     * @param bias       whether the input and output projections have biases (default true)
     * @param kdim       features of the key, or 0 for {@code embedDim} (PyTorch's {@code kdim=None}, the default)
     * @param vdim       features of the value, or 0 for {@code embedDim} (the default)
     * @param batchFirst inputs are {@code [B, L, E]} instead of {@code [L, B, E]} (default false)
     * @param generator  the source of the initial weights and of the dropout masks (default: the global generator)
     */
    public record Options(double dropout, boolean bias, int kdim, int vdim, boolean batchFirst, Generator generator) {
        public Options {
            OptionChecks.requireProbability("MultiheadAttention.Options", "dropout", dropout);
            if (kdim < 0 || vdim < 0) {
                throw new IllegalArgumentException("MultiheadAttention.Options: kdim and vdim must be >= 1, or 0 for"
                        + " embedDim, got kdim=" + kdim + ", vdim=" + vdim);
            }
            OptionChecks.requireGenerator("MultiheadAttention.Options", generator);
        }

        /** No dropout, with bias, key and value of the model width, sequence-first, the global generator. */
        public static Options defaults() {
            return new Options(0, true, 0, 0, false, Generator.global());
        }

        public Options dropout(double p) {
            return new Options(p, bias, kdim, vdim, batchFirst, generator);
        }

        public Options bias(boolean on) {
            return new Options(dropout, on, kdim, vdim, batchFirst, generator);
        }

        public Options kdim(int k) {
            return new Options(dropout, bias, k, vdim, batchFirst, generator);
        }

        public Options vdim(int v) {
            return new Options(dropout, bias, kdim, v, batchFirst, generator);
        }

        public Options batchFirst(boolean on) {
            return new Options(dropout, bias, kdim, vdim, on, generator);
        }

        public Options generator(Generator g) {
            return new Options(dropout, bias, kdim, vdim, batchFirst, g);
        }
    }

    /** The attended values and, when asked for, the weights ({@code [B, L, S]} averaged or {@code [B, heads, L, S]}). */
    public record Output(Tensor output, Tensor weights) {}

    public final int embedDim;
    public final int numHeads;
    public final int headDim;
    public final int kdim;
    public final int vdim;
    public final double dropout;
    public final boolean batchFirst;
    /** Packed {@code [3E, E]} (null when the projections are separate). */
    public final Tensor inProjWeight;
    public final Tensor qProjWeight;
    public final Tensor kProjWeight;
    public final Tensor vProjWeight;
    /** {@code [3E]}, or null without bias. */
    public final Tensor inProjBias;
    public final Linear outProj;
    private final Generator generator;

    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, Options.defaults());
    }

    public MultiheadAttention(int embedDim, int numHeads, Options o) {
        OptionChecks.requireOptions("MultiheadAttention", o);
        if (embedDim < 1 || numHeads < 1) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim and numHeads must be >= 1, got embedDim="
                    + embedDim + ", numHeads=" + numHeads);
        }
        if (embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim (" + embedDim
                    + ") must be divisible by numHeads (" + numHeads + ")");
        }
        Generator g = o.generator();
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.headDim = embedDim / numHeads;
        this.kdim = o.kdim() <= 0 ? embedDim : o.kdim();
        this.vdim = o.vdim() <= 0 ? embedDim : o.vdim();
        this.dropout = o.dropout();
        this.batchFirst = o.batchFirst();
        this.generator = g;
        if (kdim == embedDim && vdim == embedDim) {
            inProjWeight = registerParameter("in_proj_weight", Init.xavierUniform(g, 1.0, 3 * embedDim, embedDim));
            qProjWeight = kProjWeight = vProjWeight = null;
        } else {
            inProjWeight = null;
            qProjWeight = registerParameter("q_proj_weight", Init.xavierUniform(g, 1.0, embedDim, embedDim));
            kProjWeight = registerParameter("k_proj_weight", Init.xavierUniform(g, 1.0, embedDim, kdim));
            vProjWeight = registerParameter("v_proj_weight", Init.xavierUniform(g, 1.0, embedDim, vdim));
        }
        inProjBias = o.bias() ? registerParameter("in_proj_bias", Tensor.zeros(3 * embedDim)) : null;
        outProj = registerLayer("out_proj", new Linear(embedDim, embedDim,
                Linear.Options.defaults().bias(o.bias()).generator(g)));
        if (o.bias()) {
            outProj.bias.detach().fill(0);
        }
    }

    /** Whether the projections are packed into {@code in_proj_weight}. */
    public boolean packed() {
        return inProjWeight != null;
    }

    /** Self-attention without masks; returns the output only. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, x, x, null, false, null, true, false).output();
    }

    /** Attention without masks; returns the output and the head-averaged weights. */
    public Output forward(Tensor query, Tensor key, Tensor value) {
        return forward(query, key, value, null, true, null, true, false);
    }

    /**
     * The full form of {@code torch.nn.MultiheadAttention.forward}. {@code isCausal} adds a causal mask (query i sees
     * keys j &le; i) to any {@code attnMask}.
     */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights,
                          Tensor attnMask, boolean averageAttnWeights, boolean isCausal) {
        boolean unbatched = query.dim() == 2;
        if ((query.dim() != 2 && query.dim() != 3) || key.dim() != query.dim() || value.dim() != query.dim()) {
            throw new IllegalArgumentException("MultiheadAttention: expected query, key and value of rank 3 ("
                    + (batchFirst ? "[B, L, E]" : "[L, B, E]") + ") or 2 (unbatched [L, E]), got "
                    + Arrays.toString(query.shape()) + ", " + Arrays.toString(key.shape()) + ", "
                    + Arrays.toString(value.shape()));
        }
        checkWidth(query, embedDim, "query", "embedDim");
        checkWidth(key, kdim, "key", "kdim");
        checkWidth(value, vdim, "value", "vdim");
        Tensor projection = packed() ? inProjWeight : qProjWeight;
        Functional.checkDType("MultiheadAttention (query)", query, projection);
        Functional.checkDType("MultiheadAttention (key)", key, projection);
        Functional.checkDType("MultiheadAttention (value)", value, projection);
        boolean self = query == key && key == value;
        boolean kvSame = key == value;
        Tensor q = toBatchFirst(query, unbatched);
        Tensor k = self ? q : toBatchFirst(key, unbatched);
        Tensor v = self ? q : kvSame ? k : toBatchFirst(value, unbatched);
        int b = q.size(0);
        int l = q.size(1);
        int s = k.size(1);
        if (k.size(0) != b || v.size(0) != b) {
            throw new IllegalArgumentException("MultiheadAttention: query, key and value must have the same batch size,"
                    + " got " + Arrays.toString(query.shape()) + ", " + Arrays.toString(key.shape()) + ", "
                    + Arrays.toString(value.shape()));
        }
        if (v.size(1) != s) {
            throw new IllegalArgumentException("MultiheadAttention: key and value must have the same length, got "
                    + Arrays.toString(key.shape()) + " and " + Arrays.toString(value.shape()));
        }
        if (l == 0 || s == 0) {
            throw new IllegalArgumentException("MultiheadAttention: sequences of length 0 are not supported (query "
                    + "length " + l + ", key length " + s + ")");
        }
        Tensor mask = buildMask(keyPaddingMask, attnMask, b, l, s, unbatched, q.dtype());

        Tensor qh;
        Tensor kh;
        Tensor vh;
        int e = embedDim;
        int h = numHeads;
        int d = headDim;
        if (packed() && self) {
            // One projection for q, k and v, each read by head through a strided view: the products take the
            // strides, so the heads are not copied (nor their gradients, which are summed into one [B, L, 3E]).
            Tensor qkv = Functional.linear(q, inProjWeight, inProjBias).reshape(b, l, 3, h, d);
            qh = qkv.select(2, 0).permute(0, 2, 1, 3);
            kh = qkv.select(2, 1).permute(0, 2, 1, 3);
            vh = qkv.select(2, 2).permute(0, 2, 1, 3);
        } else if (packed() && kvSame) {
            qh = heads(Functional.linear(q, inProjWeight.narrow(0, 0, e), biasPart(0)), b, l);
            Tensor kv = Functional.linear(k, inProjWeight.narrow(0, e, 2 * e),
                    inProjBias == null ? null : inProjBias.narrow(0, e, 2 * e)).reshape(b, s, 2, h, d);
            kh = kv.select(2, 0).permute(0, 2, 1, 3);
            vh = kv.select(2, 1).permute(0, 2, 1, 3);
        } else {
            Tensor wq = packed() ? inProjWeight.narrow(0, 0, e) : qProjWeight;
            Tensor wk = packed() ? inProjWeight.narrow(0, e, e) : kProjWeight;
            Tensor wv = packed() ? inProjWeight.narrow(0, 2 * e, e) : vProjWeight;
            qh = heads(Functional.linear(q, wq, biasPart(0)), b, l);
            kh = heads(Functional.linear(k, wk, biasPart(1)), b, s);
            vh = heads(Functional.linear(v, wv, biasPart(2)), b, s);
        }
        // as PyTorch: dropout only while training
        Attention.Result r = Attention.scaledDotProduct(qh, kh, vh, mask, Attention.Options.defaults()
                .isCausal(isCausal).dropoutP(isTraining() ? dropout : 0).generator(generator));
        Tensor out = outProj.call(r.output().permute(0, 2, 1, 3).reshape(b, l, e));
        out = unbatched ? out.squeeze(0) : batchFirst ? out : out.transpose(0, 1);
        Tensor w = null;
        if (needWeights) {
            w = averageAttnWeights ? r.weights().mean(new int[] {1}, false) : r.weights();
            if (unbatched) {
                w = w.squeeze(0);
            }
        }
        return new Output(out, w);
    }

    private Tensor biasPart(int i) {
        return inProjBias == null ? null : inProjBias.narrow(0, i * embedDim, embedDim);
    }

    /** [B, T, E] to [B, H, T, d]. */
    private Tensor heads(Tensor x, int b, int t) {
        return x.reshape(b, t, numHeads, headDim).permute(0, 2, 1, 3);
    }

    private Tensor toBatchFirst(Tensor x, boolean unbatched) {
        return unbatched ? x.unsqueeze(0) : batchFirst ? x : x.transpose(0, 1);
    }

    private static void checkWidth(Tensor x, int expected, String what, String option) {
        if (x.size(-1) != expected) {
            throw new IllegalArgumentException("MultiheadAttention: " + what + " has " + x.size(-1)
                    + " features (shape " + Arrays.toString(x.shape()) + "), but " + option + " is " + expected);
        }
    }

    /** The key-padding and attention masks as one additive mask broadcastable to [B, H, L, S]. */
    private Tensor buildMask(Tensor keyPadding, Tensor attn, int b, int l, int s, boolean unbatched, DType dtype) {
        Tensor kpm = null;
        if (keyPadding != null) {
            int[] want = unbatched ? new int[] {s} : new int[] {b, s};
            if (!Arrays.equals(keyPadding.shape(), want)) {
                throw new IllegalArgumentException("MultiheadAttention: keyPaddingMask must have shape "
                        + Arrays.toString(want) + " ([batch, key length]), got " + Arrays.toString(keyPadding.shape()));
            }
            kpm = Attention.additive(keyPadding, dtype, "keyPaddingMask").reshape(b, 1, 1, s);
        }
        Tensor am = null;
        if (attn != null) {
            int[] shape = attn.shape();
            if (Arrays.equals(shape, new int[] {l, s})) {
                am = Attention.additive(attn, dtype, "attnMask");
            } else if (Arrays.equals(shape, new int[] {b * numHeads, l, s})) {
                am = Attention.additive(attn, dtype, "attnMask").reshape(b, numHeads, l, s);
            } else {
                throw new IllegalArgumentException("MultiheadAttention: attnMask must have shape [" + l + ", " + s
                        + "] or [" + (b * numHeads) + ", " + l + ", " + s + "] ([batch*heads, L, S]), got "
                        + Arrays.toString(shape));
            }
        }
        return Attention.combine(am, kpm);
    }

    @Override
    protected String describe() {
        return "embedDim=" + embedDim + ", numHeads=" + numHeads + (dropout > 0 ? ", dropout=" + dropout : "")
                + (packed() ? "" : ", kdim=" + kdim + ", vdim=" + vdim) + (batchFirst ? ", batchFirst" : "");
    }
}
