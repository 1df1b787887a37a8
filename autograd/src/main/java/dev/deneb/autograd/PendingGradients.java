package dev.deneb.autograd;

import dev.deneb.tensor.Primitive;
import dev.deneb.tensor.Tensor;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The gradients on their way to each tensor during one backward pass, summed as they arrive.
 *
 * <p>Without {@code createGraph} the sums are formed in place. A sum this class allocated is referenced by nothing
 * else until its tensor's rule takes it, so later contributions add into it instead of allocating a new sum each,
 * and the gradient of a slice (a chunk, a narrow, a row) is added straight into the region of its input's sum. The
 * general rule would write it into a zero tensor the size of the input and add that: attention's packed projection,
 * cut in three by {@code chunk}, made six such tensors and two sums per step. Same additions in the same order.
 *
 * <p>With {@code createGraph} every sum is a new recorded op, since the gradients must be differentiable again.
 */
final class PendingGradients {
    private final Map<Tensor, Tensor> sums = new IdentityHashMap<>();
    /** Sums allocated here and not yet taken: the only ones ever written in place. */
    private final Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    private final boolean inPlace;

    PendingGradients(boolean inPlace) {
        this.inPlace = inPlace;
    }

    /** Adds {@code g} to the gradient pending for {@code to}. */
    void add(Tensor to, Tensor g) {
        Tensor sum = sums.get(to);
        if (sum == null) {
            sums.put(to, g);
        } else if (owned.contains(sum) && sameKind(sum, g)) {
            sum.addInPlace(g);
        } else {
            Tensor fresh = sum.add(g);
            sums.put(to, fresh);
            if (inPlace) {
                owned.remove(sum);
                owned.add(fresh);
            }
        }
    }

    /** Whether {@link #addToRegion} may be used: only without {@code createGraph}. */
    boolean inPlace() {
        return inPlace;
    }

    /** Adds {@code g} to {@code region} of the gradient pending for {@code to} (whose view the region is). */
    void addToRegion(Tensor to, Primitive.Region region, Tensor g) {
        if (!inPlace) {
            throw new IllegalStateException("addToRegion: only without createGraph");
        }
        Tensor sum = sums.get(to);
        if (sum == null || !owned.contains(sum) || !sameKind(sum, g)) {
            Tensor fresh = Tensor.empty(g.backend(), g.dtype(), to.shape()); // zeros
            if (sum != null) {
                fresh.copyFrom(sum);
                owned.remove(sum);
            }
            sums.put(to, fresh);
            owned.add(fresh);
            sum = fresh;
        }
        region.of(sum).addInPlace(g);
    }

    /** The complete gradient of {@code t} (null if none arrived); from now on it is the caller's. */
    Tensor take(Tensor t) {
        Tensor g = sums.remove(t);
        if (g != null) {
            owned.remove(g);
        }
        return g;
    }

    private static boolean sameKind(Tensor sum, Tensor g) {
        return sum.dtype() == g.dtype() && sum.backend() == g.backend();
    }
}
