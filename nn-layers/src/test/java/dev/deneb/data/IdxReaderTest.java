package dev.deneb.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.DType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void readsValidImagesAndLabels(boolean gzip) throws IOException {
        byte[] pixels = IdxFiles.images(7, 4, 5);
        Path f = IdxFiles.write(dir.resolve("imgs"), IdxReader.IMAGES_MAGIC, new int[] {7, 4, 5}, pixels, gzip);
        IdxArray a = IdxReader.read(f, 3);
        assertArrayEquals(new int[] {7, 4, 5}, a.dims());
        assertArrayEquals(pixels, a.data());
        assertEquals(255, IdxReader.read(IdxFiles.write(dir.resolve("l"), IdxReader.LABELS_MAGIC, new int[] {1},
                new byte[] {(byte) 255}, gzip), 1).unsigned(0));
    }

    @Test
    void gzipIsDetectedFromContentNotName() throws IOException {
        // A gzipped file without .gz and a plain file with .gz must both read.
        byte[] labels = IdxFiles.labels(12);
        Path zipped = IdxFiles.write(dir.resolve("labels-plain-name"), IdxReader.LABELS_MAGIC, new int[] {12},
                labels, true);
        Path plain = IdxFiles.write(dir.resolve("labels.gz"), IdxReader.LABELS_MAGIC, new int[] {12}, labels, false);
        assertArrayEquals(labels, IdxReader.read(zipped, 1).data());
        assertArrayEquals(labels, IdxReader.read(plain, 1).data());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void badMagicIsReported(boolean gzip) throws IOException {
        Path f = IdxFiles.write(dir.resolve("bad"), 0x12345678, new int[] {2}, new byte[2], gzip);
        var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(f, 1));
        assertTrue(e.getMessage().contains("bad magic number 0x12345678"), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000801"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void nonByteElementTypeIsABadMagic() throws IOException {
        Path f = IdxFiles.write(dir.resolve("floats"), 0x00000D01, new int[] {1}, new byte[4], false);
        var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(f, 1));
        assertTrue(e.getMessage().contains("bad magic number 0x00000D01"), e.getMessage());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void truncatedDataIsReportedWithCounts(boolean gzip) throws IOException {
        Path f = IdxFiles.write(dir.resolve("trunc"), IdxReader.IMAGES_MAGIC, new int[] {60000, 28, 28},
                new byte[1234], gzip);
        var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(f, 3));
        assertEquals("IDX file " + f + " is truncated: header declares 60000×28×28 = 47040000 bytes of data, "
                + "found 1234", e.getMessage());
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path f = dir.resolve("short");
        Files.write(f, new byte[] {0, 0, 8, 3, 0, 0});
        var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(f, 3));
        assertTrue(e.getMessage().contains("ends inside the header (size of dimension 0)"), e.getMessage());
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        var e2 = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(empty, 3));
        assertTrue(e2.getMessage().contains("truncated"), e2.getMessage());
    }

    @Test
    void trailingBytesAreReported() throws IOException {
        Path f = IdxFiles.write(dir.resolve("long"), IdxReader.LABELS_MAGIC, new int[] {3}, new byte[5], false);
        var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(f, 1));
        assertTrue(e.getMessage().contains("has 2 bytes after the 3 bytes of data"), e.getMessage());
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    /** A 12-byte file declaring 2^31 - 9 labels used to allocate 2.1 GB before reporting the truncation. */
    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void hugeDeclaredSizeAllocatesOnlyWhatTheFileHolds(boolean gzip) throws IOException {
        Path f = IdxFiles.write(dir.resolve("huge"), IdxReader.LABELS_MAGIC, new int[] {Integer.MAX_VALUE - 9},
                new byte[4], gzip);
        long before = allocated();
        var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(f, 1));
        long used = allocated() - before;
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("found 4"), e.getMessage());
        assertTrue(used < 1 << 20, "allocated " + used + " bytes for a " + Files.size(f) + "-byte file");
    }

    /** 128 MB of zeros gzip to about 128 KB; a header declaring 10 bytes must be rejected without inflating it all. */
    @Test
    void gzipBombIsRejectedAsSoonAsItExceedsTheDeclaredSize() throws IOException {
        Path f = dir.resolve("bomb.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(new byte[] {0, 0, 8, 1, 0, 0, 0, 10});
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 128; i++) {
                out.write(zeros);
            }
        }
        long before = allocated();
        long t0 = System.nanoTime();
        var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(f, 1));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long used = allocated() - before;
        assertTrue(e.getMessage().contains("has more bytes after the 10 bytes of data"), e.getMessage());
        assertTrue(used < 1 << 20, "allocated " + used);
        assertTrue(ms < 200, "took " + ms + " ms: the whole bomb was inflated");
    }

    @Test
    void wrongNumberOfDimensionsIsReported() throws IOException {
        // A label file (1-D) where an image file (3-D) is expected.
        Path f = IdxFiles.write(dir.resolve("labels"), IdxReader.LABELS_MAGIC, new int[] {4}, new byte[4], false);
        var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(f, 3));
        assertTrue(e.getMessage().contains("has 1 dimensions (magic number 0x00000801), expected 3 "
                + "(magic number 0x00000803)"), e.getMessage());
    }

    @Test
    void corruptGzipIsReported() throws IOException {
        Path good = IdxFiles.write(dir.resolve("z"), IdxReader.IMAGES_MAGIC, new int[] {50, 28, 28},
                IdxFiles.images(50, 28, 28), true);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(bytes, bytes.length / 2));
        var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(cut, 3));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        bytes[20] ^= 0x55;
        bytes[21] ^= 0x55;
        Path garbled = Files.write(dir.resolve("garbled.gz"), bytes);
        assertThrows(IllegalArgumentException.class, () -> IdxReader.read(garbled, 3));
    }

    @Test
    void missingFileIsAnUncheckedIoException() {
        var e = assertThrows(UncheckedIOException.class, () -> IdxReader.read(dir.resolve("nope"), 1));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    // ---- Mnist.load on synthetic files ----

    private void writeMnist(String prefix, int n, byte[] labels, boolean gzip) throws IOException {
        String sfx = gzip ? ".gz" : "";
        IdxFiles.write(dir.resolve(prefix + "-images-idx3-ubyte" + sfx), IdxReader.IMAGES_MAGIC,
                new int[] {n, 28, 28}, IdxFiles.images(n, 28, 28), gzip);
        IdxFiles.write(dir.resolve(prefix + "-labels-idx1-ubyte" + sfx), IdxReader.LABELS_MAGIC,
                new int[] {labels.length}, labels, gzip);
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void mnistLoadsSyntheticFiles(boolean gzip) throws IOException {
        writeMnist("t10k", 6, IdxFiles.labels(6), gzip);
        TensorDataset ds = Mnist.load(dir, false);
        assertEquals(6, ds.size());
        assertArrayEquals(new int[] {6, 1, 28, 28}, ds.inputs().shape());
        assertEquals(DType.F32, ds.inputs().dtype());
        assertEquals(DType.I64, ds.targets().dtype());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, ds.targets().toLongArray());
        // pixel (i=2, r=1, c=3) = (2 + 1*28 + 3) % 256 = 33
        assertEquals(33 / 255f, (float) ds.inputs().get(2, 0, 1, 3), 0f);
    }

    @Test
    void mnistLabelOutOfRangeIsReported() throws IOException {
        writeMnist("train", 3, new byte[] {1, 10, 2}, false);
        var e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(dir, true));
        assertTrue(e.getMessage().contains("label 1 in"), e.getMessage());
        assertTrue(e.getMessage().contains("is 10, outside 0..9"), e.getMessage());
    }

    @Test
    void mnistCountMismatchIsReported() throws IOException {
        writeMnist("train", 3, IdxFiles.labels(4), true);
        var e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(dir, true));
        assertTrue(e.getMessage().contains("holds 3 images but"), e.getMessage());
        assertTrue(e.getMessage().contains("holds 4 labels"), e.getMessage());
    }

    @Test
    void mnistMissingFilesAreReported() {
        var e = assertThrows(UncheckedIOException.class, () -> Mnist.load(dir, true));
        assertTrue(e.getMessage().contains("neither train-images-idx3-ubyte.gz nor train-images-idx3-ubyte found"),
                e.getMessage());
    }
}
