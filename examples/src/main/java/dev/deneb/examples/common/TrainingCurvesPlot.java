package dev.deneb.examples.common;

import dev.deneb.nn.train.TrainingHistory;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Learning curves of a {@link TrainingHistory} as a PNG: training and validation loss on the left, the validation
 * metric on the right, with the best epoch marked.
 */
public final class TrainingCurvesPlot {
    private TrainingCurvesPlot() {}

    public static void writePng(TrainingHistory history, String title, Path file) {
        System.setProperty("java.awt.headless", "true");
        List<TrainingHistory.Epoch> e = history.epochs();
        double[] x = e.stream().mapToDouble(TrainingHistory.Epoch::epoch).toArray();
        XYChart loss = chart(title + ": loss", "loss");
        loss.addSeries("train", x, e.stream().mapToDouble(TrainingHistory.Epoch::trainLoss).toArray())
                .setMarker(SeriesMarkers.NONE);
        loss.addSeries("validation", x, e.stream().mapToDouble(TrainingHistory.Epoch::validationLoss).toArray())
                .setMarker(SeriesMarkers.NONE);
        XYChart metric = chart(title + ": " + history.metricName(), history.metricName());
        metric.addSeries(history.metricName(), x, e.stream().mapToDouble(TrainingHistory.Epoch::metric).toArray())
                .setMarker(SeriesMarkers.NONE);
        TrainingHistory.Epoch best = history.best();
        if (best != null) {
            metric.addSeries("best (epoch " + best.epoch() + ")", new double[] {best.epoch()},
                    new double[] {best.metric()}).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        Images.writePng(Images.sideBySide(List.of(BitmapEncoder.getBufferedImage(loss),
                BitmapEncoder.getBufferedImage(metric))), file);
    }

    static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(640).height(440).title(title).xAxisTitle("epoch").yAxisTitle(yTitle)
                .build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setMarkerSize(8);
        return c;
    }
}
