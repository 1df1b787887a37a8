package dev.deneb.cuda;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.Backends;
import dev.deneb.tensor.Tensor;
import java.util.function.Function;

/**
 * Ops that have no GPU kernel yet run on the CPU reference backend: inputs are copied to the host, the op runs
 * there, results are copied back. Correct and slow; each use is a candidate for a kernel.
 */
final class HostFallback {
    private HostFallback() {}

    static Tensor[] run(Backend device, Tensor[] inputs, Function<Tensor[], Tensor[]> op) {
        Tensor[] host = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            host[i] = inputs[i] == null ? null : inputs[i].to(Backends.reference());
        }
        Tensor[] out = op.apply(host);
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i] == null ? null : out[i].to(device);
        }
        return out;
    }

    static Tensor run1(Backend device, Tensor[] inputs, Function<Tensor[], Tensor> op) {
        return run(device, inputs, h -> new Tensor[] {op.apply(h)})[0];
    }
}
