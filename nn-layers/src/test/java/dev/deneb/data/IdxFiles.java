package dev.deneb.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small synthetic IDX files for tests. */
final class IdxFiles {
    private IdxFiles() {}

    /** Header (magic, sizes) followed by {@code data}, optionally gzipped. */
    static Path write(Path file, int magic, int[] dims, byte[] data, boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
        byte[] content = bytes.toByteArray();
        if (gzip) {
            ByteArrayOutputStream z = new ByteArrayOutputStream();
            try (OutputStream g = new GZIPOutputStream(z)) {
                g.write(content);
            }
            content = z.toByteArray();
        }
        Files.write(file, content);
        return file;
    }

    /** {@code n} images of {@code rows × cols} whose pixel {@code (i, r, c)} is {@code (i + r * cols + c) % 256}. */
    static byte[] images(int n, int rows, int cols) {
        byte[] b = new byte[n * rows * cols];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < rows * cols; p++) {
                b[i * rows * cols + p] = (byte) ((i + p) % 256);
            }
        }
        return b;
    }

    static byte[] labels(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 10);
        }
        return b;
    }
}
