package dev.deneb.examples.common;

import dev.deneb.tensor.Tensor;
import java.awt.image.BufferedImage;

/** Grey images {@code [N, 1, H, W]} with values in [0, 1] laid out in a grid, each pixel drawn as a square. */
public final class ImageGrid {
    private ImageGrid() {}

    /**
     * The images row by row, {@code columns} per row, {@code scale}×{@code scale} screen pixels per image pixel and
     * a 2-pixel white gap between images; values outside [0, 1] are clipped.
     */
    public static BufferedImage of(Tensor images, int columns, int scale) {
        int[] s = images.shape();
        if (s.length != 4 || s[1] != 1) {
            throw new IllegalArgumentException("ImageGrid: expected grey images [N, 1, H, W], got shape "
                    + java.util.Arrays.toString(s));
        }
        int n = s[0];
        int h = s[2];
        int w = s[3];
        int rows = (n + columns - 1) / columns;
        int gap = 2;
        int cellW = w * scale + gap;
        int cellH = h * scale + gap;
        BufferedImage out = new BufferedImage(Math.max(1, columns * cellW), Math.max(1, rows * cellH),
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, 0xFFFFFF);
            }
        }
        float[] v = images.toFloatArray();
        for (int i = 0; i < n; i++) {
            int ox = (i % columns) * cellW;
            int oy = (i / columns) * cellH;
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    float p = Math.max(0f, Math.min(1f, v[(i * h + r) * w + c]));
                    int g = 255 - Math.round(p * 255); // ink on paper: 1 is black
                    int rgb = (g << 16) | (g << 8) | g;
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            out.setRGB(ox + c * scale + dx, oy + r * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        return out;
    }
}
