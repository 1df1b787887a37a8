package dev.deneb.autograd;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Storage;
import dev.deneb.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Training steps must not leak: the tape of a finished step is garbage, whatever the user still holds. */
class MemoryTest {
    private static final int STEPS = 3000;
    private static final long ALLOWED_GROWTH = 4L << 20; // 4 MiB

    /** A two-layer MLP with its parameters, updated by plain SGD. */
    private static final class Mlp {
        final Tensor w1 = (new Generator(1).normal(0, 0.3, 16, 32)).requiresGrad(true);
        final Tensor b1 = Tensor.zeros(32).requiresGrad(true);
        final Tensor w2 = (new Generator(2).normal(0, 0.3, 32, 4)).requiresGrad(true);
        final Tensor b2 = Tensor.zeros(4).requiresGrad(true);
        final List<Tensor> params = List.of(w1, b1, w2, b2);

        Tensor loss(Tensor x, Tensor labels) {
            Tensor h = x.matmul(w1).add(b1).tanh();
            Tensor logits = h.matmul(w2).add(b2);
            return logits.logSoftmax(1).gather(1, labels.unsqueeze(1)).mean().neg();
        }

        void step(Tensor x, Tensor labels) {
            loss(x, labels).backward();
            try (GradMode.Scope s = GradMode.noGrad()) {
                for (Tensor p : params) {
                    p.detach().copyFrom(p.detach().sub(p.grad().mul(0.05)));
                    p.zeroGrad();
                }
            }
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(20);
            best = Math.min(best, mx.getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    @Test
    void thousandsOfStepsKeepRetainedMemoryConstant() throws InterruptedException {
        Mlp mlp = new Mlp();
        Generator g = new Generator(3);
        Tensor x = g.normal(0, 1, 8, 16);
        Tensor labels = g.randint(0, 4, 8);
        double first = mlp.loss(x, labels).item();
        long atWarmup = 0;
        for (int step = 0; step < STEPS; step++) {
            mlp.step(x, labels);
            if (step == 100) {
                atWarmup = usedHeapAfterGc();
            }
        }
        long atEnd = usedHeapAfterGc();
        double last = mlp.loss(x, labels).item();
        assertTrue(last < first, "training should make progress: loss " + first + " -> " + last);
        long growth = atEnd - atWarmup;
        System.out.println("MemoryTest: retained heap after step 100: " + (atWarmup >> 10) + " KiB, after step "
                + STEPS + ": " + (atEnd >> 10) + " KiB (growth " + (growth >> 10) + " KiB)");
        assertTrue(growth < ALLOWED_GROWTH, "retained heap grew by " + (growth >> 10) + " KiB over "
                + (STEPS - 100) + " steps (from " + (atWarmup >> 10) + " KiB to " + (atEnd >> 10) + " KiB)");
        for (Tensor p : mlp.params) {
            assertNull(p.grad());
        }
    }

    /** Several references that a finished step must not keep alive. */
    private record Refs(WeakReference<Tensor> hidden, WeakReference<Storage> hiddenData,
                        WeakReference<Tensor> logits, Tensor loss) {}

    private static Refs oneStep(Tensor w, Tensor x) {
        Tensor hidden = x.matmul(w).tanh();
        Tensor logits = hidden.mul(hidden).add(hidden);
        Tensor loss = logits.sum();
        loss.backward();
        return new Refs(new WeakReference<>(hidden), new WeakReference<>(hidden.storage()),
                new WeakReference<>(logits), loss);
    }

    private static boolean collected(WeakReference<?> ref) throws InterruptedException {
        for (int i = 0; i < 20 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        return ref.get() == null;
    }

    @Test
    void intermediatesOfAFinishedStepAreCollectableEvenWhileTheLossIsHeld() throws InterruptedException {
        Tensor w = Tensor.randn(8, 8).to(DType.F64).requiresGrad(true);
        Tensor x = Tensor.randn(4, 8).to(DType.F64);
        Refs refs = oneStep(w, x);
        // the user still holds the loss (and the parameter with its grad): the freed graph must not pin anything
        assertTrue(collected(refs.hidden()), "the hidden activation is still reachable after backward");
        assertTrue(collected(refs.hiddenData()), "the hidden activation's tensor is still reachable after backward");
        assertTrue(collected(refs.logits()), "the logits are still reachable after backward");
        assertTrue(w.grad() != null);
        assertTrue(Double.isFinite(refs.loss().item()), "the loss is still held and readable");
    }

    @Test
    void gradientOfALeafDoesNotPinTheGraph() throws InterruptedException {
        Tensor w = Tensor.randn(8, 8).to(DType.F64).requiresGrad(true);
        Tensor x = Tensor.randn(4, 8).to(DType.F64);
        WeakReference<Tensor> hidden = hiddenOfStep(w, x);
        // w.grad is held; without createGraph it must be a plain constant with no graph behind it
        assertTrue(w.grad().isLeaf());
        assertTrue(collected(hidden), "w.grad keeps the forward graph alive");
    }

    private static WeakReference<Tensor> hiddenOfStep(Tensor w, Tensor x) {
        Tensor hidden = x.matmul(w).sigmoid();
        hidden.mul(hidden).sum().backward();
        return new WeakReference<>(hidden);
    }

    @Test
    void graphsBuiltButNeverBackpropagatedAreCollectable() throws InterruptedException {
        Tensor w = Tensor.randn(8, 8).to(DType.F64).requiresGrad(true);
        WeakReference<Tensor> loss = forwardOnly(w);
        assertTrue(collected(loss), "a forward-only graph (e.g. an evaluation pass with grad on) leaks");
    }

    private static WeakReference<Tensor> forwardOnly(Tensor w) {
        Tensor loss = w.matmul(w).exp().sum();
        return new WeakReference<>(loss);
    }
}
