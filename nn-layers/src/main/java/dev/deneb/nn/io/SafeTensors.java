package dev.deneb.nn.io;

import dev.deneb.data.Utf8;
import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format, so state dicts
 * travel between Deneb and PyTorch ({@code safetensors.torch.load_file} reads our files, we read theirs).
 *
 * <p>The layout: an 8-byte little-endian unsigned header length N; N bytes of UTF-8 JSON
 * {@code {"__metadata__": {"k": "v"}, "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ...}}
 * (padded with spaces to a multiple of 8); then the tensors' raw little-endian bytes, back to back, each at its
 * offsets relative to the end of the header.
 *
 * <p>Deneb writes F32, F64, I32, I64 and BOOL (one byte per element). On reading it also accepts F16 and BF16
 * (converted to f32), I8, U8, I16, U16 (to i32) and U32 (to i64), which PyTorch users commonly save.
 *
 * <p>A file is validated completely before any tensor is built: the header length must lie within the file, the
 * header must be well-formed JSON, every dtype must be known, each tensor's byte range must equal its element
 * count times the element size, and the ranges must tile the data section exactly (no gaps, no overlaps, nothing
 * missing at the end), at most {@link #MAX_RANK} dimensions, and names that {@link #save} would accept. Any problem
 * is an {@link IllegalArgumentException} that names the file and the problem; I/O failures are
 * {@link UncheckedIOException}s that name the file. Memory stays proportional to the file: nothing is allocated
 * for a tensor before the whole header has been checked against the file's size.
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** The largest header accepted (as the reference implementation: 100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /**
     * The most dimensions a tensor may have in a file Deneb reads or writes. PyTorch allows 25 at most; without a
     * limit a 90 MB header could declare one tensor of rank 45 million and make the reader allocate gigabytes.
     */
    public static final int MAX_RANK = 64;

    /** The tensors of a file in file (offset) order, and its {@code __metadata__} (empty when absent). */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** One header entry: the file's dtype name, the shape, and the byte range within the data section. */
    public record Entry(String dtype, int[] shape, long begin, long end) {
        @Override
        public String toString() {
            return dtype + Arrays.toString(shape) + " @ [" + begin + ", " + end + ")";
        }
    }

    /** A parsed and validated header: entries in file order, the metadata, and where the data section starts. */
    public record Header(Map<String, Entry> entries, Map<String, String> metadata, long dataStart) {}

    // =========================================================================================================
    // Writing
    // =========================================================================================================

    /** Saves {@code tensors} without metadata. */
    public static void save(Map<String, Tensor> tensors, Path file) {
        save(tensors, Map.of(), file);
    }

    /**
     * Writes {@code tensors} (in the map's order) and {@code metadata} to {@code file}, through a temporary sibling
     * moved into place (see {@link AtomicFile}), so a crash never leaves a half-written file under the name. Tensor
     * names must be non-empty, not {@code __metadata__}, and well-formed Unicode; metadata keys and values
     * well-formed Unicode; ranks at most {@link #MAX_RANK}: the same rules {@link #load} applies, so whatever one
     * accepts the other does too.
     */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) {
        byte[] header = HeaderWriter.bytes(tensors, metadata == null ? Map.of() : metadata);
        long largest = 0;
        for (Tensor t : tensors.values()) {
            largest = Math.max(largest, (long) t.numel() * FileType.of(t.dtype()).size);
        }
        long biggest = largest;
        try {
            AtomicFile.write(file, ch -> {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
                TensorData.writeFully(ch, len);
                TensorData.writeFully(ch, ByteBuffer.wrap(header));
                ByteBuffer chunk = TensorData.buffer(biggest);
                for (Tensor t : tensors.values()) {
                    TensorData.write(ch, t, chunk);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("safetensors: cannot write '" + file + "': " + e, e);
        }
    }

    // =========================================================================================================
    // Reading
    // =========================================================================================================

    /** Reads every tensor of {@code file} (on the current backend) and its metadata, after validating the file. */
    public static Contents load(Path file) {
        try (FileChannel ch = open(file)) {
            Header h = readHeader(ch, file);
            long largest = 0;
            for (Entry e : h.entries().values()) {
                largest = Math.max(largest, e.end() - e.begin());
            }
            ByteBuffer chunk = TensorData.buffer(largest);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, Entry> e : h.entries().entrySet()) {
                out.put(e.getKey(), TensorData.read(ch, file, e.getKey(), e.getValue(), h.dataStart(), chunk));
            }
            return new Contents(out, h.metadata());
        } catch (IOException e) {
            throw new UncheckedIOException("safetensors: cannot read '" + file + "': " + e, e);
        }
    }

    /** Reads and validates only the header of {@code file} (cheap: no tensor data is read). */
    public static Header readHeader(Path file) {
        try (FileChannel ch = open(file)) {
            return readHeader(ch, file);
        } catch (IOException e) {
            throw new UncheckedIOException("safetensors: cannot read '" + file + "': " + e, e);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("safetensors: no such file '" + file + "'", e);
        }
    }

    private static Header readHeader(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw bad(file, "the file is only " + size + " bytes long, but a safetensors file starts with an 8-byte"
                    + " header length (empty or truncated file?)");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        TensorData.readFully(ch, lenBuf, 0, file);
        long n = lenBuf.flip().getLong();
        if (n < 0 || n > size - 8) {
            throw bad(file, "the header length in the first 8 bytes is " + Long.toUnsignedString(n) + ", but only "
                    + (size - 8) + " bytes follow: the file is truncated or not a safetensors file");
        }
        if (n > MAX_HEADER_BYTES) {
            throw bad(file, "the header length " + n + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (n < 2) {
            throw bad(file, "the header length is " + n + ", too short for a JSON object");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        TensorData.readFully(ch, hb, 8, file);
        byte[] json = hb.array();
        long badAt = Utf8.firstMalformed(json);
        if (badAt >= 0) {
            throw bad(file, "the header (" + n + " bytes) is not valid UTF-8 (at header byte " + badAt + "): the file"
                    + " is corrupt or not a safetensors file");
        }
        if (json[0] != '{') {
            throw bad(file, "the header does not start with '{': the file is corrupt or not a safetensors file");
        }
        return HeaderParser.parse(file, json, size - 8 - n);
    }

    static IllegalArgumentException bad(Path file, String problem) {
        return new IllegalArgumentException("safetensors file '" + file + "': " + problem);
    }
}
