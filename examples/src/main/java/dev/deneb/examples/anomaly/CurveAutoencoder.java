package dev.deneb.examples.anomaly;

import dev.deneb.nn.Activation;
import dev.deneb.nn.Conv1d;
import dev.deneb.nn.ConvTranspose1d;
import dev.deneb.nn.Flatten;
import dev.deneb.nn.Layer;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Sequential;
import dev.deneb.nn.Unflatten;
import dev.deneb.tensor.Tensor;

/**
 * A convolutional autoencoder for phase-folded light curves {@code [N, 2, 32]} (the two bands as channels): three
 * convolutions (32 → 16 → 8 bins) and a linear layer down to a {@code latent}-dimensional code, then a linear layer
 * and two stride-2 transposed convolutions back up to 32 bins, and a last convolution to the two bands.
 */
public final class CurveAutoencoder extends Layer {
    public final Sequential encoder;
    public final Sequential decoder;

    public CurveAutoencoder(int latent) {
        Conv1d.Options same = Conv1d.Options.defaults().padding(2);
        Conv1d.Options half = Conv1d.Options.defaults().stride(2).padding(2);
        ConvTranspose1d.Options up = ConvTranspose1d.Options.defaults().stride(2).padding(1);
        encoder = registerLayer("encoder", new Sequential(
                new Conv1d(2, 16, 5, same), Activation.relu(),
                new Conv1d(16, 32, 5, half), Activation.relu(),
                new Conv1d(32, 32, 5, half), Activation.relu(),
                new Flatten(), new Linear(32 * 8, latent)));
        decoder = registerLayer("decoder", new Sequential(
                new Linear(latent, 32 * 8), Activation.relu(), new Unflatten(1, 32, 8),
                new ConvTranspose1d(32, 32, 4, up), Activation.relu(),
                new ConvTranspose1d(32, 16, 4, up), Activation.relu(),
                new Conv1d(16, 2, 5, same)));
    }

    @Override
    public Tensor forward(Tensor curves) {
        return decoder.forward(encoder.forward(curves));
    }
}
