package dev.deneb.examples.anomaly;

import dev.deneb.examples.lightcurves.LightCurves;
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
 * An autoencoder for one star: its phase-folded light curve (two bands of 32 bins, convolutional branch) and its
 * {@link LightCurves#STATIC_FEATURES} standardised static features (log period, amplitudes, colour), packed as one
 * row of {@link #WIDTH} values (the 64 curve values first). Three convolutions take the curve from 32 to 8 bins; its
 * features and the statics meet in a linear layer down to a {@code latent}-dimensional code; the decoder mirrors it,
 * with two stride-2 transposed convolutions back to 32 bins and a linear head for the statics. The code is squashed
 * by tanh. The shape of a
 * folded curve alone hardly tells the classes apart (a smooth Mira curve reconstructs as well as any); its period
 * and amplitude do, so both go through the code.
 */
public final class StarAutoencoder extends Layer {
    static final int CURVE = 2 * LightCurves.FOLD_BINS;
    public static final int WIDTH = CURVE + LightCurves.STATIC_FEATURES;

    private final Sequential curveEncoder;
    private final Linear toCode;
    private final Sequential fromCode;
    private final Sequential curveDecoder;
    private final Linear staticsDecoder;

    public StarAutoencoder(int latent) {
        Conv1d.Options same = Conv1d.Options.defaults().padding(2);
        Conv1d.Options half = Conv1d.Options.defaults().stride(2).padding(2);
        ConvTranspose1d.Options up = ConvTranspose1d.Options.defaults().stride(2).padding(1);
        int statics = LightCurves.STATIC_FEATURES;
        curveEncoder = registerLayer("curve_encoder", new Sequential(
                new Conv1d(2, 16, 5, same), Activation.relu(),
                new Conv1d(16, 32, 5, half), Activation.relu(),
                new Conv1d(32, 32, 5, half), Activation.relu(), new Flatten()));
        toCode = registerLayer("to_code", new Linear(32 * 8 + statics, latent));
        fromCode = registerLayer("from_code", new Sequential(new Linear(latent, 32 * 8 + statics), Activation.relu()));
        curveDecoder = registerLayer("curve_decoder", new Sequential(
                new Unflatten(1, 32, 8),
                new ConvTranspose1d(32, 32, 4, up), Activation.relu(),
                new ConvTranspose1d(32, 16, 4, up), Activation.relu(),
                new Conv1d(16, 2, 5, same), new Flatten()));
        staticsDecoder = registerLayer("statics_decoder", new Linear(32 * 8 + statics, statics));
    }

    /** Rows {@code [N, WIDTH]} in, their reconstructions out. */
    @Override
    public Tensor forward(Tensor stars) {
        int n = stars.shape()[0];
        Tensor curves = stars.narrow(1, 0, CURVE).reshape(n, 2, LightCurves.FOLD_BINS);
        Tensor statics = stars.narrow(1, CURVE, LightCurves.STATIC_FEATURES);
        // A bounded code (tanh): an input far outside the training range cannot be carried through unchanged by
        // the linear path from the statics to the code and back, so it reconstructs badly, which is the point.
        Tensor code = toCode.forward(Tensor.cat(1, curveEncoder.forward(curves), statics)).tanh();
        Tensor h = fromCode.forward(code);
        return Tensor.cat(1, curveDecoder.forward(h.narrow(1, 0, 32 * 8)), staticsDecoder.forward(h));
    }
}
