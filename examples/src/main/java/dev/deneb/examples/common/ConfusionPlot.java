package dev.deneb.examples.common;

import dev.deneb.metrics.ConfusionMatrix;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A confusion matrix as a PNG heat map: each cell shaded by its row-normalised rate (recall on the diagonal) and
 * labelled with the count and the rate; rows are true classes, columns predictions.
 */
public final class ConfusionPlot {
    private static final int CELL = 120;
    private static final int LEFT = 150;
    private static final int TOP = 90;

    private ConfusionPlot() {}

    public static void writePng(ConfusionMatrix cm, List<String> classNames, String title, Path file) {
        System.setProperty("java.awt.headless", "true");
        int n = cm.numClasses();
        double[][] rate = cm.normalized(ConfusionMatrix.Normalization.TRUE);
        int w = Math.max(LEFT + n * CELL + 40, 520);
        int h = TOP + n * CELL + 70;
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = im.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        centered(g, title, w / 2, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        centered(g, "predicted class", LEFT + n * CELL / 2, TOP - 35);
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                int x = LEFT + p * CELL;
                int y = TOP + t * CELL;
                double r = rate[t][p];
                g.setColor(shade(r));
                g.fillRect(x, y, CELL, CELL);
                g.setColor(Color.GRAY);
                g.setStroke(new BasicStroke(1));
                g.drawRect(x, y, CELL, CELL);
                g.setColor(r > 0.5 ? Color.WHITE : Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
                centered(g, Long.toString(cm.count(t, p)), x + CELL / 2, y + CELL / 2);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
                centered(g, String.format(Locale.ROOT, "%.1f %%", 100 * r), x + CELL / 2, y + CELL / 2 + 24);
            }
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (int k = 0; k < n; k++) {
            centered(g, classNames.get(k), LEFT + k * CELL + CELL / 2, TOP - 10);
            FontMetrics fm = g.getFontMetrics();
            String s = classNames.get(k);
            g.drawString(s, LEFT - 12 - fm.stringWidth(s), TOP + k * CELL + CELL / 2 + fm.getAscent() / 2 - 2);
        }
        g.drawString("rows: true class; shade and %: share of the row", 20, TOP + n * CELL + 35);
        g.dispose();
        Images.writePng(im, file);
    }

    private static Color shade(double r) {
        // White to a dark blue.
        int red = (int) Math.round(255 - r * (255 - 8));
        int green = (int) Math.round(255 - r * (255 - 48));
        int blue = (int) Math.round(255 - r * (255 - 107));
        return new Color(red, green, blue);
    }

    private static void centered(Graphics2D g, String s, int cx, int cy) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, cx - fm.stringWidth(s) / 2, cy + fm.getAscent() / 2 - 2);
    }
}
