package dev.deneb.examples.common;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Joins rendered charts side by side and writes PNG files (headless). */
public final class Images {
    private Images() {}

    /** The images left to right on a white background. */
    public static BufferedImage sideBySide(List<BufferedImage> images) {
        int w = images.stream().mapToInt(BufferedImage::getWidth).sum();
        int h = images.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        BufferedImage out = new BufferedImage(Math.max(1, w), h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), h);
        int x = 0;
        for (BufferedImage im : images) {
            g.drawImage(im, x, 0, null);
            x += im.getWidth();
        }
        g.dispose();
        return out;
    }

    public static void writePng(BufferedImage image, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                java.nio.file.Files.createDirectories(dir);
            }
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the plot " + file, e);
        }
    }
}
