package dev.deneb.examples.sdss;

import dev.deneb.examples.common.Images;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A scatter plot of objects on the first two principal components, one colour per class, as a PNG. */
final class PcaPlot {
    private static final Color[] COLORS = {new Color(31, 119, 180, 110), new Color(255, 127, 14, 110),
            new Color(44, 160, 44, 110), new Color(214, 39, 40, 110)};

    private PcaPlot() {}

    /** {@code z} holds {@code [N, k]} projections (k &gt;= 1; PC2 is 0 when k = 1) and {@code labels} the classes. */
    static void writePng(double[] z, int k, long[] labels, List<String> classes, String title, double[] ratio,
            Path file) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(720).title(title)
                .xAxisTitle(String.format(Locale.ROOT, "PC1 (%.1f%%)", 100 * ratio[0]))
                .yAxisTitle(k > 1 ? String.format(Locale.ROOT, "PC2 (%.1f%%)", 100 * ratio[1]) : "PC2").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        for (int c = 0; c < classes.size(); c++) {
            int n = 0;
            for (long y : labels) {
                n += y == c ? 1 : 0;
            }
            if (n == 0) {
                continue;
            }
            double[] x = new double[n];
            double[] y = new double[n];
            int at = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    x[at] = z[i * k];
                    y[at] = k > 1 ? z[i * k + 1] : 0;
                    at++;
                }
            }
            XYSeries s = chart.addSeries(classes.get(c) + " (" + n + ")", x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(COLORS[c % COLORS.length]);
        }
        Images.writePng(BitmapEncoder.getBufferedImage(chart), file);
    }
}
