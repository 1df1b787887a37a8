package dev.deneb.examples.anomaly;

import dev.deneb.examples.common.Images;
import dev.deneb.examples.lightcurves.LightCurves;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One PNG per held-out class: histograms of the autoencoder's reconstruction error (log10) for each test class
 * (left), and the blue band of one test star of each class with its reconstruction (right).
 */
final class ErrorPlots {
    private static final int BINS = 30;

    private ErrorPlots() {}

    static void write(AnomalyCommand.Result r, int[] labels, String heldName, Path file) {
        System.setProperty("java.awt.headless", "true");
        XYChart hist = new XYChartBuilder().width(560).height(460)
                .title("reconstruction error, " + heldName + " held out").xAxisTitle("log10 mean squared error")
                .yAxisTitle("fraction of the class").build();
        hist.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        hist.getStyler().setXAxisDecimalPattern("0.0");
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double e : r.autoencoderError()) {
            lo = Math.min(lo, Math.log10(e + 1e-12));
            hi = Math.max(hi, Math.log10(e + 1e-12));
        }
        double width = (hi - lo) / BINS + 1e-12;
        for (int c = 0; c < LightCurves.CLASSES.length; c++) {
            double[] counts = new double[BINS];
            double total = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    int b = (int) Math.min(BINS - 1, (Math.log10(r.autoencoderError()[i] + 1e-12) - lo) / width);
                    counts[b]++;
                    total++;
                }
            }
            if (total == 0) {
                continue;
            }
            double[] xs = new double[BINS];
            for (int b = 0; b < BINS; b++) {
                xs[b] = lo + (b + 0.5) * width;
                counts[b] /= total;
            }
            String name = LightCurves.CLASSES[c] + (c == r.heldOut() ? " (held out)" : "");
            hist.addSeries(name, xs, counts).setMarker(SeriesMarkers.NONE);
        }

        XYChart curves = new XYChartBuilder().width(560).height(460).title("blue band: input and reconstruction")
                .xAxisTitle("phase bin").yAxisTitle("standardised magnitude").build();
        int bins = LightCurves.FOLD_BINS;
        for (int c = 0; c < LightCurves.CLASSES.length; c++) {
            int star = first(labels, c);
            if (star < 0) {
                continue;
            }
            double[] xs = new double[bins];
            double[] in = new double[bins];
            double[] out = new double[bins];
            for (int b = 0; b < bins; b++) {
                xs[b] = b;
                in[b] = r.inputs()[star * StarAutoencoder.WIDTH + b] + 4 * c;
                out[b] = r.reconstructions()[star * StarAutoencoder.WIDTH + b] + 4 * c;
            }
            curves.addSeries(LightCurves.CLASSES[c], xs, in).setMarker(SeriesMarkers.CIRCLE);
            curves.addSeries(String.format(Locale.ROOT, "%s, reconstructed", LightCurves.CLASSES[c]), xs, out)
                    .setMarker(SeriesMarkers.NONE);
        }
        List<java.awt.image.BufferedImage> images = new ArrayList<>();
        images.add(BitmapEncoder.getBufferedImage(hist));
        images.add(BitmapEncoder.getBufferedImage(curves));
        Images.writePng(Images.sideBySide(images), file);
    }

    private static int first(int[] labels, int c) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
