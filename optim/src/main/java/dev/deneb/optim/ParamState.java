package dev.deneb.optim;

import dev.deneb.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an optimizer keeps for one parameter: the number of updates and named buffers ({@code exp_avg}…). */
public final class ParamState {
    private long step;
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();

    /** Updates applied so far (the first update sees 1). */
    public long step() {
        return step;
    }

    void setStep(long step) {
        this.step = step;
    }

    /** The buffer, or null when it does not exist yet. */
    public Tensor buffer(String name) {
        return buffers.get(name);
    }

    /** The buffer, created as a contiguous copy of {@code like}'s shape filled with {@code initial} if absent. */
    public Tensor buffer(String name, Tensor like, double initial) {
        Tensor b = buffers.get(name);
        if (b == null) {
            b = Tensor.fullLike(like, initial);
            buffers.put(name, b);
        }
        return b;
    }

    public void putBuffer(String name, Tensor value) {
        buffers.put(name, value);
    }

    public Map<String, Tensor> buffers() {
        return Collections.unmodifiableMap(buffers);
    }
}
