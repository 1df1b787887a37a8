package dev.deneb.tensor;

import java.util.Arrays;

/**
 * One recorded op on the tape: the {@link Primitive}, the tensors it was computed from and the tensor it made.
 * The storage version of each input and of the output is noted when the op runs; a rule reads saved values through
 * {@link #input} and {@link #output}, which fail with a clear message when a value was changed in place since, so a
 * stale value can never give a wrong gradient. Values a rule does not read may change freely.
 */
public final class Node {
    private final Primitive op;
    private Tensor[] inputs;
    private Tensor output;
    private final Storage[] storages;
    private final int[] versions;

    Node(Primitive op, Tensor[] inputs, Tensor output) {
        this.op = op;
        this.inputs = inputs;
        this.output = output;
        this.storages = new Storage[inputs.length + 1];
        this.versions = new int[inputs.length + 1];
        for (int i = 0; i <= inputs.length; i++) {
            Tensor t = i < inputs.length ? inputs[i] : output;
            storages[i] = t.storage();
            versions[i] = storages[i].version();
        }
    }

    public Primitive op() {
        return op;
    }

    /** Number of inputs. */
    public int arity() {
        return storages.length - 1;
    }

    /** Input {@code i} as a graph edge, without reading its value (for the engine's traversal). */
    public Tensor edge(int i) {
        requireLive();
        return inputs[i];
    }

    /** True when input {@code i} requires a gradient, so a rule may skip the others. */
    public boolean needsGrad(int i) {
        requireLive();
        return inputs[i].requiresGrad();
    }

    public int[] inputShape(int i) {
        requireLive();
        return inputs[i].shape();
    }

    public DType inputDtype(int i) {
        requireLive();
        return inputs[i].dtype();
    }

    /** Input {@code i}, checked to hold the value the op saw. */
    public Tensor input(int i) {
        requireLive();
        check(i);
        return inputs[i];
    }

    /** The op's result, checked to hold the value it had. */
    public Tensor output() {
        requireLive();
        check(inputs.length);
        return output;
    }

    /** Checks every input and the output (for custom rules, whose reads cannot be seen). */
    public void checkAll() {
        requireLive();
        for (int i = 0; i <= inputs.length; i++) {
            check(i);
        }
    }

    public boolean released() {
        return inputs == null;
    }

    /** Drops the inputs and the output, and with them every saved tensor. */
    public void release() {
        inputs = null;
        output = null;
    }

    private void requireLive() {
        if (inputs == null) {
            throw new IllegalStateException("backward: trying to go through the graph of '" + op.name() + "' a second"
                    + " time, but its saved values were freed after the first backward; pass retainGraph = true to the"
                    + " first backward call if you need to call it twice");
        }
    }

    private void check(int i) {
        Tensor t = i < inputs.length ? inputs[i] : output;
        if (t.storage() != storages[i]) {
            String what = i < inputs.length ? "input " + i : "its output";
            throw new IllegalStateException("backward: a value needed by '" + op.name() + "' (" + what + ", shape "
                    + Arrays.toString(t.shape()) + ") was replaced with setData after it was recorded; replace it"
                    + " only after backward");
        }
        int now = t.storage().version();
        if (now != versions[i]) {
            String what = i < inputs.length ? "input " + i : "its output";
            throw new IllegalStateException("backward: a value needed by '" + op.name() + "' (" + what + ", shape "
                    + Arrays.toString(t.shape()) + ") was modified in place after it was recorded (version "
                    + versions[i] + ", now " + now + "); compute on a copy, or modify it only after backward");
        }
    }

    @Override
    public String toString() {
        return op.name() + "Backward";
    }
}
