package dev.deneb.examples.generative;

import dev.deneb.nn.Activation;
import dev.deneb.nn.BatchNorm2d;
import dev.deneb.nn.Conv2d;
import dev.deneb.nn.ConvTranspose2d;
import dev.deneb.nn.Embedding;
import dev.deneb.nn.Flatten;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Sequential;
import dev.deneb.nn.Unflatten;
import dev.deneb.tensor.Tensor;

/**
 * A conditional DCGAN for 28×28 digits (Radford et al.'s recipe at MNIST's size, conditioned as in Mirza &amp;
 * Osindero): both networks get the class, the generator as a learned 10-dimensional embedding next to the noise,
 * the discriminator as a learned 28×28 plane next to the image. Images are in [-1, 1] (tanh).
 */
public final class ConditionalGan {
    public static final int CLASSES = 10;

    private ConditionalGan() {}

    /** Noise and class → image: linear to 128×7×7, then two stride-2 transposed convolutions with batch norm. */
    public static final class Generator extends Layer {
        public final int noise;
        private final Embedding classes;
        private final Sequential body;

        public Generator(int noise) {
            this.noise = noise;
            ConvTranspose2d.Options up = ConvTranspose2d.Options.defaults().stride(2).padding(1).bias(false);
            classes = registerLayer("classes", new Embedding(CLASSES, CLASSES));
            body = registerLayer("body", new Sequential(
                    new Linear(noise + CLASSES, 128 * 7 * 7), new Unflatten(1, 128, 7, 7),
                    new BatchNorm2d(128), Activation.relu(),
                    new ConvTranspose2d(128, 64, 4, up), new BatchNorm2d(64), Activation.relu(),
                    new ConvTranspose2d(64, 1, 4, ConvTranspose2d.Options.defaults().stride(2).padding(1)),
                    Activation.tanh()));
        }

        /** Images {@code [N, 1, 28, 28]} for noise {@code [N, noise]} and class indices {@code [N]}. */
        public Tensor generate(Tensor z, Tensor labels) {
            return body.forward(Tensor.cat(1, z, classes.forward(labels)));
        }

        @Override
        public Tensor forward(Tensor input) {
            throw new UnsupportedOperationException("ConditionalGan.Generator: call generate(noise, labels)");
        }
    }

    /** Image and class → one logit (real or not): two stride-2 convolutions with leaky ReLU, then linear. */
    public static final class Discriminator extends Layer {
        private final Embedding classes;
        private final Sequential body;

        public Discriminator() {
            Conv2d.Options down = Conv2d.Options.defaults().stride(2).padding(1);
            classes = registerLayer("classes", new Embedding(CLASSES, 28 * 28));
            body = registerLayer("body", new Sequential(
                    new Conv2d(2, 64, 4, down), Activation.leakyRelu(0.2),
                    new Conv2d(64, 128, 4, down), new BatchNorm2d(128), Activation.leakyRelu(0.2),
                    new Flatten(), new Linear(128 * 7 * 7, 1)));
        }

        /** Logits {@code [N]}: large when the image looks like a real digit of its class. */
        public Tensor judge(Tensor images, Tensor labels) {
            int n = images.shape()[0];
            Tensor plane = classes.forward(labels).reshape(n, 1, 28, 28);
            return body.forward(Tensor.cat(1, images, plane)).reshape(n);
        }

        @Override
        public Tensor forward(Tensor input) {
            throw new UnsupportedOperationException("ConditionalGan.Discriminator: call judge(images, labels)");
        }
    }
}
