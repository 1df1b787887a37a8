package dev.deneb.examples.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/** Writes the loss and accuracy curves of a {@link History} as a PNG (two charts side by side). */
public final class CurvesPlot {
    private CurvesPlot() {}

    public static void writePng(History history, String title, Path file) {
        System.setProperty("java.awt.headless", "true");
        List<History.Epoch> e = history.epochs();
        double[] x = e.stream().mapToDouble(History.Epoch::epoch).toArray();
        XYChart loss = chart(title + ": training loss", "loss");
        loss.addSeries("train loss", x, e.stream().mapToDouble(History.Epoch::trainLoss).toArray());
        XYChart acc = chart(title + ": accuracy", "accuracy (%)");
        acc.addSeries("train", x, e.stream().mapToDouble(h -> 100 * h.trainAccuracy()).toArray());
        acc.addSeries("test", x, e.stream().mapToDouble(h -> 100 * h.testAccuracy()).toArray());
        try {
            java.awt.image.BufferedImage left = BitmapEncoder.getBufferedImage(loss);
            java.awt.image.BufferedImage right = BitmapEncoder.getBufferedImage(acc);
            java.awt.image.BufferedImage both = new java.awt.image.BufferedImage(left.getWidth() + right.getWidth(),
                    Math.max(left.getHeight(), right.getHeight()), java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = both.createGraphics();
            g.drawImage(left, 0, 0, null);
            g.drawImage(right, left.getWidth(), 0, null);
            g.dispose();
            javax.imageio.ImageIO.write(both, "png", file.toFile());
        } catch (IOException ex) {
            throw new UncheckedIOException("could not write the plot " + file, ex);
        }
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("epoch").yAxisTitle(yTitle)
                .build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setMarkerSize(6);
        c.getStyler().setYAxisDecimalPattern("0.###");
        return c;
    }
}
