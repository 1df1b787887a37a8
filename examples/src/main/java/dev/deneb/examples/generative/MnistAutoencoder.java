package dev.deneb.examples.generative;

import dev.deneb.nn.Activation;
import dev.deneb.nn.Conv2d;
import dev.deneb.nn.ConvTranspose2d;
import dev.deneb.nn.Flatten;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Sequential;
import dev.deneb.nn.Unflatten;
import dev.deneb.tensor.Tensor;

/**
 * A convolutional autoencoder for 28×28 digits: two stride-2 convolutions (28 → 14 → 7) and a linear layer down to
 * a {@code latent}-dimensional code; the mirror image up (two stride-2 transposed convolutions, 7 → 14 → 28) and a
 * sigmoid, so the reconstruction is in [0, 1] like the pixels.
 */
public final class MnistAutoencoder extends Layer {
    public final Sequential encoder;
    public final Sequential decoder;

    public MnistAutoencoder(int latent) {
        ConvTranspose2d.Options up = ConvTranspose2d.Options.defaults().stride(2).padding(1).outputPadding(1);
        encoder = registerLayer("encoder", new Sequential(
                new Conv2d(1, 16, 3, Conv2d.Options.defaults().stride(2).padding(1)), Activation.relu(),
                new Conv2d(16, 32, 3, Conv2d.Options.defaults().stride(2).padding(1)), Activation.relu(),
                new Flatten(), new Linear(32 * 7 * 7, latent)));
        decoder = registerLayer("decoder", new Sequential(
                new Linear(latent, 32 * 7 * 7), Activation.relu(), new Unflatten(1, 32, 7, 7),
                new ConvTranspose2d(32, 16, 3, up), Activation.relu(),
                new ConvTranspose2d(16, 1, 3, up), Activation.sigmoid()));
    }

    @Override
    public Tensor forward(Tensor images) {
        return decoder.forward(encoder.forward(images));
    }
}
