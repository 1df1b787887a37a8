package dev.deneb.dist;

import dev.deneb.nn.Layer;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Data-parallel training, as PyTorch's {@code DistributedDataParallel}: every rank holds a replica of the model and
 * trains on its own share of each global batch; after {@code backward()}, {@link #synchronizeGradients()} replaces
 * each gradient by its mean over the ranks (one all-reduce over all gradients packed into one buffer), so every
 * rank applies the same optimizer step and the replicas stay equal, bit for bit.
 * <pre>{@code
 * DistributedDataParallel ddp = new DistributedDataParallel(model, communicator);  // rank 0's weights everywhere
 * Adam adam = new Adam(ddp.parameters(), Adam.Options.defaults());
 * for (Batch b : myShareOfTheData) {
 *     ddp.zeroGrad();
 *     Losses.crossEntropy(ddp.forward(b.inputs()), b.targets()).backward();
 *     ddp.synchronizeGradients();
 *     adam.step();
 * }
 * }</pre>
 * With a loss that averages over the batch and equal shares, the mean of the ranks' gradients is the gradient of the
 * whole global batch, so training equals single-process training on the global batch up to float rounding.
 * Buffers (batch-norm statistics) are taken from rank 0 before each training-mode forward pass, as PyTorch does.
 * Parameters must be f32 (the collectives move floats).
 */
public final class DistributedDataParallel extends Layer {
    private final Layer module;
    private final Communicator communicator;

    /** Wraps {@code module} and copies rank 0's parameters and buffers to every rank (a collective: all ranks call it). */
    public DistributedDataParallel(Layer module, Communicator communicator) {
        this.module = registerLayer("module", module);
        this.communicator = communicator;
        module.namedParameters().forEach((name, p) -> {
            if (p.dtype() != DType.F32) {
                throw new IllegalArgumentException("DistributedDataParallel: parameter '" + name + "' is "
                        + p.dtype() + "; the collectives move f32 values, convert the model with to(DType.F32)");
            }
        });
        broadcast(new ArrayList<>(module.parameters()));
        broadcast(new ArrayList<>(module.namedBuffers().values()));
    }

    /** The wrapped model (its state dict has no {@code module.} prefix). */
    public Layer module() {
        return module;
    }

    public Communicator communicator() {
        return communicator;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (isTraining()) {
            broadcast(new ArrayList<>(module.namedBuffers().values()));
        }
        return module.forward(input);
    }

    /**
     * Replaces every parameter's gradient by its mean over the ranks. A parameter without a gradient on this rank
     * (not used in this forward pass) counts as zeros, so the ranks always exchange the same buffer. Call it after
     * {@code backward()} and before the optimizer step, on every rank.
     */
    public void synchronizeGradients() {
        if (communicator.size() == 1) {
            return; // the mean over one rank is its own gradient
        }
        List<Tensor> params = trainable();
        int total = 0;
        for (Tensor p : params) {
            total += p.numel();
        }
        float[] flat = new float[total];
        int at = 0;
        for (Tensor p : params) {
            if (p.grad() != null) {
                float[] g = p.grad().toFloatArray();
                System.arraycopy(g, 0, flat, at, g.length);
            }
            at += p.numel();
        }
        communicator.allReduce(flat);
        float ranks = communicator.size();
        at = 0;
        for (Tensor p : params) {
            float[] g = new float[p.numel()];
            for (int i = 0; i < g.length; i++) {
                g[i] = flat[at + i] / ranks;
            }
            p.setGrad(Tensor.of(g).reshape(p.shape()));
            at += g.length;
        }
    }

    /** Copies rank {@code root}'s parameters and buffers to every rank (e.g. after loading a checkpoint on one rank). */
    public void broadcastState(int root) {
        broadcast(new ArrayList<>(module.parameters()), root);
        broadcast(new ArrayList<>(module.namedBuffers().values()), root);
    }

    private List<Tensor> trainable() {
        List<Tensor> out = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : module.namedParameters().entrySet()) {
            if (e.getValue().requiresGrad()) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    private void broadcast(List<Tensor> tensors) {
        broadcast(tensors, 0);
    }

    private void broadcast(List<Tensor> tensors, int root) {
        if (tensors.isEmpty() || communicator.size() == 1) {
            return;
        }
        int total = 0;
        for (Tensor t : tensors) {
            total += t.numel();
        }
        float[] flat = new float[total];
        int at = 0;
        if (communicator.rank() == root) {
            for (Tensor t : tensors) {
                float[] v = t.toFloatArray();
                System.arraycopy(v, 0, flat, at, v.length);
                at += v.length;
            }
        }
        communicator.broadcast(flat, root);
        if (communicator.rank() != root) {
            at = 0;
            try (GradMode.Scope s = GradMode.noGrad()) {
                for (Tensor t : tensors) {
                    float[] v = Arrays.copyOfRange(flat, at, at + t.numel());
                    t.copyFrom(Tensor.of(v).reshape(t.shape()));
                    at += v.length;
                }
            }
        }
    }
}
