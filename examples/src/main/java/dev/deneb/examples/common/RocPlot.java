package dev.deneb.examples.common;

import dev.deneb.metrics.PrCurve;
import dev.deneb.metrics.RocCurve;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * ROC curves (left) and precision-recall curves (right) as a PNG, one curve per named class (one-vs-rest), with
 * the AUC and average precision in the legend.
 */
public final class RocPlot {
    private RocPlot() {}

    /** A curve pair for one class. */
    public record Curves(String name, RocCurve roc, PrCurve pr) {}

    public static void writePng(List<Curves> curves, String title, Path file) {
        System.setProperty("java.awt.headless", "true");
        XYChart roc = chart(title + ": ROC", "false positive rate", "true positive rate");
        roc.addSeries("chance", new double[] {0, 1}, new double[] {0, 1}).setMarker(SeriesMarkers.NONE)
                .setLineStyle(SeriesLines.DASH_DASH).setLineColor(java.awt.Color.GRAY);
        XYChart pr = chart(title + ": precision-recall", "recall", "precision");
        for (Curves c : curves) {
            roc.addSeries(String.format(Locale.ROOT, "%s (AUC %.4f)", c.name(), c.roc().auc()), c.roc().fpr(),
                    c.roc().tpr()).setMarker(SeriesMarkers.NONE);
            pr.addSeries(String.format(Locale.ROOT, "%s (AP %.4f)", c.name(), c.pr().averagePrecision()),
                    c.pr().recall(), c.pr().precision()).setMarker(SeriesMarkers.NONE);
        }
        pr.getStyler().setYAxisMin(0.0);
        Images.writePng(Images.sideBySide(List.of(BitmapEncoder.getBufferedImage(roc),
                BitmapEncoder.getBufferedImage(pr))), file);
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(560).height(520).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMax(1.0);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        return c;
    }
}
