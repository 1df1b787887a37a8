package dev.deneb.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format): a big-endian header {@code 0, 0, type, rank}, then {@code rank} 32-bit sizes,
 * then the data. Only unsigned bytes (type 0x08) are supported, which is what MNIST and its relatives use.
 * Gzip compression is detected from the content (bytes 1f 8b), not from the file name.
 *
 * <p>Every problem is an {@link IllegalArgumentException} naming the file and what was wrong: a bad magic number, an
 * unexpected rank, a truncated file or trailing bytes. A file that cannot be opened is an
 * {@link UncheckedIOException}.
 */
public final class IdxReader {
    /** Magic number of MNIST image files: unsigned bytes, 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of MNIST label files: unsigned bytes, 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int BUFFER = 1 << 16;

    private IdxReader() {}

    /** Reads an IDX file of unsigned bytes that must have exactly {@code expectedRank} dimensions. */
    public static IdxArray read(Path file, int expectedRank) {
        try (InputStream in = open(file)) {
            long fileSize = Files.size(file);
            boolean gzip = in instanceof Gunzipped;
            int[] dims = header(in, file, expectedRank);
            long total = 1;
            for (int d : dims) {
                total *= d;
            }
            long headerBytes = 4L + 4L * dims.length;
            // A raw file's size is checked before the array is allocated (a 12-byte file used to allocate 2 GB
            // before reporting that it was truncated); a gzipped one is read into a buffer that grows with the data.
            long follows = fileSize - headerBytes;
            if (!gzip && total > follows) {
                throw truncated(file, dims, total, follows);
            }
            if (!gzip && total < follows) {
                throw new IllegalArgumentException("IDX file " + file + " has " + (follows - total) + " bytes after the "
                        + total + " bytes of data its header declares (" + describe(dims, dims.length)
                        + "); is the header wrong?");
            }
            byte[] data = gzip ? readGrowing(in, (int) total) : readExactly(in, (int) total);
            if (data.length < total) {
                throw truncated(file, dims, total, data.length);
            }
            // One byte more than declared is enough to know the header is wrong: a gzip bomb is not inflated to
            // the end (it took 3.7 s to reject 1 MB of gzip).
            if (in.read() >= 0) {
                throw new IllegalArgumentException("IDX file " + file + " has more bytes after the " + total
                        + " bytes of data its header declares (" + describe(dims, dims.length)
                        + "); is the header wrong?");
            }
            return new IdxArray(dims, data);
        } catch (EOFException | ZipException e) {
            throw new IllegalArgumentException("IDX file " + file + " is corrupt: its gzip data cannot be read ("
                    + e.getMessage() + ")", e);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("IDX file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("IDX file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** {@code total} bytes (the file size vouches for them), or fewer if the file shrank meanwhile. */
    private static byte[] readExactly(InputStream in, int total) throws IOException {
        byte[] data = new byte[total];
        int got = in.readNBytes(data, 0, total);
        return got == total ? data : Arrays.copyOf(data, got);
    }

    private static IllegalArgumentException truncated(Path file, int[] dims, long total, long found) {
        return new IllegalArgumentException("IDX file " + file + " is truncated: header declares "
                + describe(dims, dims.length) + " = " + total + " bytes of data, found " + found);
    }

    /**
     * Up to {@code total} bytes of a stream whose length is unknown, in a buffer that grows (doubling) only as data
     * arrives, so memory follows what the file really holds rather than what its header claims.
     */
    private static byte[] readGrowing(InputStream in, int total) throws IOException {
        byte[] buf = new byte[Math.min(total, 4096)];
        int n = 0;
        while (n < total) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(total, 2L * buf.length));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    /** The sizes an IDX file of unsigned bytes declares in its header, without reading its data. */
    static int[] readDims(Path file, int expectedRank) {
        try (InputStream in = open(file)) {
            return header(in, file, expectedRank);
        } catch (EOFException | ZipException e) {
            throw new IllegalArgumentException("IDX file " + file + " is corrupt: its gzip data cannot be read ("
                    + e.getMessage() + ")", e);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("IDX file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("IDX file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** A buffered stream of the file's content, gunzipped when it starts with the gzip magic bytes. */
    static InputStream open(Path file) throws IOException {
        // Buffers no larger than the file: a 12-byte file should not cost 64 KB of buffers.
        int buffer = (int) Math.max(64, Math.min(BUFFER, Files.size(file)));
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), buffer);
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                return new Gunzipped(raw, buffer);
            }
            return raw;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** The gunzipped content of a file (a type of its own, so the reader knows the file size does not bound it). */
    private static final class Gunzipped extends GZIPInputStream {
        Gunzipped(InputStream in, int buffer) throws IOException {
            super(in, buffer);
        }
    }

    /** Reads and checks the header: magic number, rank, and the sizes (whose product must fit one array). */
    private static int[] header(InputStream in, Path file, int expectedRank) throws IOException {
        int magic = readInt(in, file, "magic number");
        int expectedMagic = (UNSIGNED_BYTE << 8) | expectedRank;
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != UNSIGNED_BYTE) {
            throw new IllegalArgumentException("IDX file " + file + " has a bad magic number " + hex(magic)
                    + ": expected " + hex(expectedMagic) + " (unsigned bytes, " + expectedRank
                    + " dimensions); is it an IDX file of unsigned bytes?");
        }
        int rank = magic & 0xFF;
        if (rank != expectedRank) {
            throw new IllegalArgumentException("IDX file " + file + " has " + rank + " dimensions (magic number "
                    + hex(magic) + "), expected " + expectedRank + " (magic number " + hex(expectedMagic) + ")");
        }
        int[] dims = new int[rank];
        long total = 1;
        for (int d = 0; d < rank; d++) {
            dims[d] = readInt(in, file, "size of dimension " + d);
            if (dims[d] < 0) {
                throw new IllegalArgumentException("IDX file " + file + " declares a negative size "
                        + dims[d] + " for dimension " + d);
            }
            total *= dims[d];
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("IDX file " + file + " declares more than 2^31 bytes of data ("
                        + describe(dims, d + 1) + "); too large for one array");
            }
        }
        return dims;
    }

    private static int readInt(InputStream in, Path file, String what) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new IllegalArgumentException("IDX file " + file + " is truncated: it ends inside the header ("
                    + what + ")");
        }
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    private static String hex(int v) {
        return String.format("0x%08X", v);
    }

    /** "60000×28×28" for the first {@code n} dimensions. */
    private static String describe(int[] dims, int n) {
        StringBuilder s = new StringBuilder();
        for (int d = 0; d < n; d++) {
            s.append(d == 0 ? "" : "×").append(dims[d]);
        }
        return s.toString();
    }
}
