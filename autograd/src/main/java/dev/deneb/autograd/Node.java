package dev.deneb.autograd;

/**
 * One recorded op on the tape: its inputs, its backward rule, and the storage versions of its inputs and output at
 * the time it ran, so an in-place change to a value the rule needs is caught instead of giving a wrong gradient.
 */
final class Node {
    final String op;
    private Variable[] inputs;
    private Rule rule;
    private final int[] versions;
    private final dev.deneb.tensor.Storage[] storages;
    private final Variable output;

    Node(String op, Variable[] inputs, Rule rule, Variable output) {
        this.op = op;
        this.inputs = inputs;
        this.rule = rule;
        this.output = output;
        this.versions = new int[inputs.length + 1];
        this.storages = new dev.deneb.tensor.Storage[inputs.length + 1];
        for (int i = 0; i <= inputs.length; i++) {
            storages[i] = (i < inputs.length ? inputs[i] : output).data().storage();
            versions[i] = storages[i].version();
        }
    }

    Variable[] inputs() {
        return inputs;
    }

    boolean released() {
        return rule == null;
    }

    /** Runs the rule after checking that nothing it may read was overwritten in place. */
    Variable[] backward(Variable grad) {
        if (rule == null) {
            throw new IllegalStateException("backward: trying to go through the graph of '" + op + "' a second time,"
                    + " but its saved values were freed after the first backward; pass retainGraph = true to the first"
                    + " backward call if you need to call it twice");
        }
        for (int i = 0; i <= inputs.length; i++) {
            Variable v = i < inputs.length ? inputs[i] : output;
            if (v.data().storage() != storages[i]) {
                throw new IllegalStateException("backward: a value needed by '" + op + "' (" + (i < inputs.length
                        ? "input " + i : "its output") + ", shape " + java.util.Arrays.toString(v.shape())
                        + ") was replaced with setData after it was recorded; replace it only after backward");
            }
            int now = v.data().storage().version();
            if (now != versions[i]) {
                throw new IllegalStateException("backward: a value needed by '" + op + "' (" + (i < inputs.length
                        ? "input " + i : "its output") + ", shape " + java.util.Arrays.toString(v.shape())
                        + ") was modified in place after it was recorded (version " + versions[i] + ", now " + now
                        + "); compute on a copy, or modify it only after backward");
            }
        }
        return rule.backward(grad);
    }

    /** Drops the inputs and the rule (and with them every saved tensor). */
    void release() {
        inputs = null;
        rule = null;
    }
}
