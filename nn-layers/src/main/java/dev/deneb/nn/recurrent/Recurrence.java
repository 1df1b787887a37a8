package dev.deneb.nn.recurrent;

import dev.deneb.autograd.Autograd;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.GruPointwise;
import dev.deneb.tensor.LstmPointwise;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The functional form of one recurrent layer in one direction (like {@code torch._VF.lstm} for a single layer).
 *
 * <p>The input projection of every time step is one large matrix product recorded as ordinary ops. The recurrence
 * itself (per step: one {@code [B,H]·[H,G·H]} product and the gate math) is recorded as <em>one</em> op with a
 * hand-written backward pass through time, so the tape holds a handful of nodes per layer instead of a dozen per
 * step. Its backward rule computes with tensors (any backend, f32 or f64) and its gradients are checked against
 * finite differences in the tests; it is not differentiable twice (like cuDNN's RNN in PyTorch).
 *
 * <p>Tensor lengths: {@code valid[t][b]} false means step t of sequence b is skipped: the state carries over
 * unchanged and the output there is zero. With a prefix mask (lengths) this is PyTorch's packed-sequence
 * semantics in both directions: the forward direction stops at each sequence's last valid step, and the reverse
 * direction starts there (it carries its initial state through the padding).
 */
public final class Recurrence {
    private Recurrence() {}

    /**
     * Runs one layer in one direction.
     *
     * @param x       input {@code [T, B, I]}
     * @param h0      initial hidden state {@code [B, H]}, or null for zeros
     * @param c0      initial cell state {@code [B, H]} (LSTM only), or null for zeros
     * @param wIh     {@code [G*H, I]} stacked input weights (PyTorch's gate order)
     * @param wHh     {@code [G*H, H]} stacked recurrent weights
     * @param bIh     {@code [G*H]} or null
     * @param bHh     {@code [G*H]} or null
     * @param valid   BOOL {@code [T, B]}: which steps are real (null: all)
     * @param reverse run from the last step to the first
     * @return output {@code [T, B, H]}, final states {@code [B, H]} (as a {@link RecurrentOutput} with 2-D states)
     */
    public static RecurrentOutput layer(CellType cell, Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh,
                                        Tensor bIh, Tensor bHh, Tensor valid, boolean reverse) {
        if (x.dim() != 3) {
            throw new IllegalArgumentException("recurrent layer: expected input [T, B, I], got "
                    + Arrays.toString(x.shape()));
        }
        int t = x.size(0);
        int b = x.size(1);
        int in = x.size(2);
        int gh = wHh.size(0);
        int h = wHh.size(1);
        if (t == 0) {
            throw new IllegalArgumentException("recurrent layer: the input has sequence length 0 (shape "
                    + Arrays.toString(x.shape()) + "); sequences need at least one step");
        }
        if (b == 0) {
            throw new IllegalArgumentException("recurrent layer: the input has batch size 0 (shape "
                    + Arrays.toString(x.shape()) + ")");
        }
        if (gh != cell.gates * h || wIh.dim() != 2 || wIh.size(0) != gh || wIh.size(1) != in) {
            throw new IllegalArgumentException("recurrent layer: " + cell + " expects weight_ih [" + cell.gates + "*H, "
                    + in + "] and weight_hh [" + cell.gates + "*H, H], got " + Arrays.toString(wIh.shape()) + " and "
                    + Arrays.toString(wHh.shape()));
        }
        checkState("h0", h0, b, h);
        checkState("c0", c0, b, h);
        if (c0 != null && cell != CellType.LSTM) {
            throw new IllegalArgumentException("recurrent layer: a cell state c0 is only for LSTM, not " + cell);
        }
        if (valid != null && (valid.dtype() != DType.BOOL || !Arrays.equals(valid.shape(), new int[] {t, b}))) {
            throw new IllegalArgumentException("recurrent layer: the validity mask must be BOOL [T, B] = [" + t + ", "
                    + b + "], got " + valid.dtype() + " " + Arrays.toString(valid.shape()));
        }
        DType dt = x.dtype();
        // Input projection for all steps at once: [T*B, I]·[I, G*H].
        Tensor xw = x.reshape(t * b, in).matmul(wIh.t());
        Tensor bias = cell == CellType.GRU ? bIh : sum(bIh, bHh);
        if (bias != null) {
            xw = xw.add(bias);
        }
        xw = xw.reshape(t, b, gh);
        Tensor hStart = h0 != null ? h0 : Tensor.zeros(dt, b, h);
        Tensor cStart = cell != CellType.LSTM ? null : c0 != null ? c0 : Tensor.zeros(dt, b, h);
        Tensor gruBias = cell == CellType.GRU ? bHh : null;
        Masks masks = valid == null ? null : new Masks(valid.reshape(t, b, 1), dt);

        List<Tensor> inputs = new ArrayList<>(List.of(xw, hStart));
        if (cStart != null) {
            inputs.add(cStart);
        }
        inputs.add(wHh);
        if (gruBias != null) {
            inputs.add(gruBias);
        }
        Scan scan = switch (cell) {
            case LSTM -> new LstmScan();
            case GRU -> new GruScan();
            case RNN_TANH -> new RnnScan(false);
            case RNN_RELU -> new RnnScan(true);
        };
        Tensor packed = scan.forward(xw.detach(), hStart.detach(), cStart == null ? null : cStart.detach(), wHh.detach(),
                gruBias == null ? null : gruBias.detach(), masks, reverse);
        Tensor[] in0 = inputs.toArray(new Tensor[0]);
        Form form = new Form(cell, x, h0, c0, wIh, wHh, bIh, bHh, valid, reverse);
        Tensor out = Autograd.function(cell.name().toLowerCase() + (reverse ? "_reverse" : ""), form, packed,
                g -> scan.backward(g.detach(), in0.length), in0);
        Tensor output = out.narrow(0, 0, t);
        Tensor hN = out.select(0, t);
        Tensor cN = cell == CellType.LSTM ? out.select(0, t + 1) : null;
        return new RecurrentOutput(output, hN, cN);
    }

    /**
     * One recurrent layer in one direction as its arguments, kept on the recorded scan for exporters: the scan's
     * packed result {@code [T + 1 (+ 1 for LSTM), B, H]} is the outputs of every step, then the final hidden state
     * (and cell state). {@code x} is {@code [T, B, I]}; null states are zeros; {@code valid} is BOOL {@code [T, B]}
     * or null.
     */
    public record Form(CellType cell, Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh,
                       Tensor valid, boolean reverse) {}

    private static Tensor sum(Tensor a, Tensor b) {
        return a == null ? b : b == null ? a : a.add(b);
    }

    private static void checkState(String name, Tensor s, int b, int h) {
        if (s != null && !Arrays.equals(s.shape(), new int[] {b, h})) {
            throw new IllegalArgumentException("recurrent layer: " + name + " must be [B, H] = [" + b + ", " + h
                    + "], got " + Arrays.toString(s.shape()));
        }
    }

    /** The validity mask as bool and as numbers, broadcastable over [B, H] after selecting a step. */
    private static final class Masks {
        final Tensor bool;
        final Tensor keep;
        final Tensor carry;

        Masks(Tensor bool, DType dt) {
            this.bool = bool;
            this.keep = bool.to(dt);
            this.carry = keep.neg().add(1);
        }
    }

    /** One direction's scan: forward saves what its backward needs; backward returns one gradient per input. */
    private abstract static class Scan {
        int steps;
        int hidden;
        boolean reverse;
        Masks masks;
        Tensor[] hPrev;
        Tensor wHh;

        abstract Tensor forward(Tensor xw, Tensor h0, Tensor c0, Tensor wHh, Tensor bHh, Masks masks, boolean reverse);

        abstract Tensor[] backward(Tensor g, int inputs);

        /** Keeps what every scan needs for its backward pass; returns the recurrent weight transposed, contiguous,
         *  for the per-step product. */
        Tensor begin(Tensor xw, Tensor w, Masks m, boolean rev) {
            steps = xw.size(0);
            hidden = w.size(1);
            reverse = rev;
            masks = m;
            wHh = w;
            hPrev = new Tensor[steps];
            return w.t().contiguous();
        }

        int time(int s) {
            return reverse ? steps - 1 - s : s;
        }

        /** The next state: the new one where the step is valid, the previous one where it is padding. */
        Tensor carry(Tensor next, Tensor prev, int t) {
            return masks == null ? next : Tensor.where(masks.bool.select(0, t), next, prev);
        }

        Tensor output(Tensor next, int t) {
            return masks == null ? next : next.mul(masks.keep.select(0, t));
        }

        /** Gradient reaching the new state at a step: zero at padding. */
        Tensor intoStep(Tensor g, int t) {
            return masks == null ? g : g.mul(masks.keep.select(0, t));
        }

        /** Gradient passing a padded step straight to the previous state (null without a mask). */
        Tensor pastStep(Tensor g, int t) {
            return masks == null ? null : g.mul(masks.carry.select(0, t));
        }

        static Tensor plus(Tensor a, Tensor maybe) {
            return maybe == null ? a : a.add(maybe);
        }

        static Tensor oneMinusSquare(Tensor y) {
            return y.mul(y).neg().add(1);
        }

        /** Sum over [T*B] rows of {@code dGates^T · hPrev}: the recurrent weight gradient. */
        Tensor weightGrad(Tensor dGates) {
            int gh = dGates.size(2);
            int b = dGates.size(1);
            Tensor hp = Tensor.stack(0, Arrays.asList(hPrev)).reshape(steps * b, hidden);
            return dGates.reshape(steps * b, gh).t().matmul(hp);
        }
    }

    /** The LSTM scan: per step one product for the gates and one fused pointwise step ({@link LstmPointwise}). */
    private static final class LstmScan extends Scan {
        Tensor[] act;
        Tensor[] tanhC;
        Tensor[] cPrev;

        @Override
        Tensor forward(Tensor xw, Tensor h0, Tensor c0, Tensor w, Tensor unused, Masks m, boolean rev) {
            Tensor wT = begin(xw, w, m, rev);
            cPrev = new Tensor[steps];
            act = new Tensor[steps];
            tanhC = new Tensor[steps];
            Tensor[] out = new Tensor[steps + 2];
            Tensor h = h0;
            Tensor c = c0;
            for (int s = 0; s < steps; s++) {
                int t = time(s);
                hPrev[t] = h;
                cPrev[t] = c;
                // The product is fresh and untracked: adding the input part into it saves a [B, 4H] per step.
                LstmPointwise.Step step = LstmPointwise.forward(h.matmul(wT).addInPlace(xw.select(0, t)), c);
                act[t] = step.activations();
                tanhC[t] = step.tanhCell();
                out[t] = output(step.hidden(), t);
                h = carry(step.hidden(), h, t);
                c = carry(step.cell(), c, t);
            }
            out[steps] = h;
            out[steps + 1] = c;
            return Tensor.stack(0, Arrays.asList(out));
        }

        @Override
        Tensor[] backward(Tensor g, int inputs) {
            Tensor dh = g.select(0, steps);
            Tensor dc = g.select(0, steps + 1);
            Tensor[] dGates = new Tensor[steps];
            for (int s = steps - 1; s >= 0; s--) {
                int t = time(s);
                Tensor dhn = intoStep(dh.add(g.select(0, t)), t);
                LstmPointwise.Grads step = LstmPointwise.backward(act[t], cPrev[t], tanhC[t], dhn, intoStep(dc, t));
                dGates[t] = step.gates();
                Tensor nextDh = plus(step.gates().matmul(wHh), pastStep(dh, t));
                dc = plus(step.cellPrev(), pastStep(dc, t));
                dh = nextDh;
            }
            Tensor dXw = Tensor.stack(0, Arrays.asList(dGates));
            return new Tensor[] {dXw, dh, dc, weightGrad(dXw)};
        }
    }

    /** The GRU scan: per step one product for the hidden gates and one fused pointwise step ({@link GruPointwise}). */
    private static final class GruScan extends Scan {
        Tensor[] act;
        Tensor[] hGates;
        boolean hasBias;

        @Override
        Tensor forward(Tensor xw, Tensor h0, Tensor c0, Tensor w, Tensor bHh, Masks m, boolean rev) {
            Tensor wT = begin(xw, w, m, rev);
            hasBias = bHh != null;
            act = new Tensor[steps];
            hGates = new Tensor[steps];
            Tensor[] out = new Tensor[steps + 1];
            Tensor h = h0;
            for (int s = 0; s < steps; s++) {
                int t = time(s);
                hPrev[t] = h;
                Tensor ghh = h.matmul(wT);
                if (bHh != null) {
                    ghh = ghh.add(bHh);
                }
                GruPointwise.Step step = GruPointwise.forward(xw.select(0, t), ghh, h);
                act[t] = step.activations();
                hGates[t] = ghh;
                out[t] = output(step.hidden(), t);
                h = carry(step.hidden(), h, t);
            }
            out[steps] = h;
            return Tensor.stack(0, Arrays.asList(out));
        }

        @Override
        Tensor[] backward(Tensor g, int inputs) {
            Tensor dh = g.select(0, steps);
            Tensor[] dGi = new Tensor[steps];
            Tensor[] dGh = new Tensor[steps];
            for (int s = steps - 1; s >= 0; s--) {
                int t = time(s);
                Tensor dhn = intoStep(dh.add(g.select(0, t)), t);
                GruPointwise.Grads step = GruPointwise.backward(act[t], hGates[t], hPrev[t], dhn);
                dGi[t] = step.inputGates();
                dGh[t] = step.hiddenGates();
                dh = plus(step.hiddenGates().matmul(wHh).add(step.hiddenPrev()), pastStep(dh, t));
            }
            Tensor dGhAll = Tensor.stack(0, Arrays.asList(dGh));
            Tensor[] out = new Tensor[inputs];
            out[0] = Tensor.stack(0, Arrays.asList(dGi));
            out[1] = dh;
            out[2] = weightGrad(dGhAll);
            if (hasBias) {
                out[3] = dGhAll.sum(new int[] {0, 1}, false);
            }
            return out;
        }
    }

    private static final class RnnScan extends Scan {
        private final boolean relu;
        Tensor[] hn;

        RnnScan(boolean relu) {
            this.relu = relu;
        }

        @Override
        Tensor forward(Tensor xw, Tensor h0, Tensor c0, Tensor w, Tensor unused, Masks m, boolean rev) {
            Tensor wT = begin(xw, w, m, rev);
            hn = new Tensor[steps];
            Tensor[] out = new Tensor[steps + 1];
            Tensor h = h0;
            for (int s = 0; s < steps; s++) {
                int t = time(s);
                hPrev[t] = h;
                Tensor pre = h.matmul(wT).addInPlace(xw.select(0, t));
                Tensor next = relu ? pre.relu() : pre.tanh();
                hn[t] = next;
                out[t] = output(next, t);
                h = carry(next, h, t);
            }
            out[steps] = h;
            return Tensor.stack(0, Arrays.asList(out));
        }

        @Override
        Tensor[] backward(Tensor g, int inputs) {
            Tensor dh = g.select(0, steps);
            Tensor[] dPre = new Tensor[steps];
            for (int s = steps - 1; s >= 0; s--) {
                int t = time(s);
                Tensor dhn = intoStep(dh.add(g.select(0, t)), t);
                Tensor dp = relu ? dhn.mul(hn[t].gt(0).to(dhn.dtype())) : dhn.mul(oneMinusSquare(hn[t]));
                dPre[t] = dp;
                dh = plus(dp.matmul(wHh), pastStep(dh, t));
            }
            Tensor dXw = Tensor.stack(0, Arrays.asList(dPre));
            return new Tensor[] {dXw, dh, weightGrad(dXw)};
        }
    }
}
