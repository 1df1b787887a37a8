package dev.deneb.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.Activation;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Losses;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Sequential;
import dev.deneb.optim.Adam;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The code of the README's "A first look", kept compiling and running. */
class ReadmeSnippetTest {
    static class Scale extends Layer {
        final Tensor gain = registerParameter("gain", Tensor.ones(1));

        @Override
        public Tensor forward(Tensor x) {
            return x.mul(gain);
        }
    }

    @Test
    void firstLookRuns() {
        Tensor x = Tensor.randn(64, 784);
        Tensor w = Tensor.randn(784, 10).mul(0.05);
        assertTrue(x.matmul(w).softmax(-1).slice(0, 0, 2).toString().contains("shape=[2, 10]"));

        Tensor a = Tensor.randn(3, 2).requiresGrad(true);
        Tensor loss = Tensor.randn(5, 3).matmul(a).tanh().sum();
        loss.backward();
        assertArrayEquals(new int[] {3, 2}, a.grad().shape());

        Sequential net = new Sequential(new Linear(784, 256), Activation.relu(), new Linear(256, 10));
        Adam optimizer = new Adam(net.parameters(), Adam.Options.defaults().lr(1e-3));
        Tensor labels = new Generator(0).randint(0, 10, 64);
        optimizer.zeroGrad();
        Tensor l = Losses.crossEntropy(net.forward(x), labels);
        l.backward();
        optimizer.step();
        assertTrue(Double.isFinite(l.item()));

        Scale s = new Scale();
        s.forward(Tensor.ones(2)).sum().backward();
        assertTrue(s.gain.grad().item() == 2.0);
    }
}
