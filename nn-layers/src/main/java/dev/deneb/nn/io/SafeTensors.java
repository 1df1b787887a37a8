package dev.deneb.nn.io;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
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
 * missing at the end). Any problem is an {@link IllegalArgumentException} that names the file and the problem;
 * I/O failures are {@link UncheckedIOException}s that name the file.
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** The largest header accepted (as the reference implementation: 100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK_BYTES = 1 << 20;

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

    /** The element types of the format that Deneb knows, with their sizes and the Deneb type they load as. */
    private enum FileType {
        F64(8, DType.F64), F32(4, DType.F32), F16(2, DType.F32), BF16(2, DType.F32),
        I64(8, DType.I64), U32(4, DType.I64), I32(4, DType.I32), I16(2, DType.I32), U16(2, DType.I32),
        I8(1, DType.I32), U8(1, DType.I32), BOOL(1, DType.BOOL);

        final int size;
        final DType loadsAs;

        FileType(int size, DType loadsAs) {
            this.size = size;
            this.loadsAs = loadsAs;
        }

        static FileType of(DType t) {
            return switch (t) {
                case F32 -> F32;
                case F64 -> F64;
                case I32 -> I32;
                case I64 -> I64;
                case BOOL -> BOOL;
            };
        }

        static FileType parse(String name) {
            for (FileType f : values()) {
                if (f.name().equals(name)) {
                    return f;
                }
            }
            return null;
        }
    }

    // =========================================================================================================
    // Writing
    // =========================================================================================================

    /** Saves {@code tensors} without metadata. */
    public static void save(Map<String, Tensor> tensors, Path file) {
        save(tensors, Map.of(), file);
    }

    /**
     * Writes {@code tensors} (in the map's order) and {@code metadata} to {@code file}. The file is written to a
     * temporary sibling and then moved into place, so a crash never leaves a half-written file under the name.
     */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) {
        byte[] header = headerBytes(tensors, metadata == null ? Map.of() : metadata);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
                writeFully(ch, len);
                writeFully(ch, ByteBuffer.wrap(header));
                ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (Tensor t : tensors.values()) {
                    writeData(ch, t, chunk);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("safetensors: cannot write '" + file + "': " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** The padded header for {@code tensors}; also checks the names and the metadata. */
    private static byte[] headerBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        if (!metadata.isEmpty()) {
            sb.append('"').append(METADATA_KEY).append("\":{");
            boolean firstMeta = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("safetensors save: metadata keys and values must not be null,"
                            + " got " + e.getKey() + " = " + e.getValue());
                }
                if (!firstMeta) {
                    sb.append(',');
                }
                firstMeta = false;
                Json.writeString(sb, e.getKey());
                sb.append(':');
                Json.writeString(sb, e.getValue());
            }
            sb.append('}');
            first = false;
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("safetensors save: tensor names must be non-empty and not '"
                        + METADATA_KEY + "', got '" + name + "'");
            }
            if (t == null) {
                throw new IllegalArgumentException("safetensors save: tensor '" + name + "' is null");
            }
            FileType ft = FileType.of(t.dtype());
            long bytes = (long) t.numel() * ft.size;
            if (!first) {
                sb.append(',');
            }
            first = false;
            Json.writeString(sb, name);
            sb.append(":{\"dtype\":\"").append(ft.name()).append("\",\"shape\":[");
            int[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) {
                sb.append(i == 0 ? "" : ",").append(shape[i]);
            }
            sb.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        sb.append('}');
        byte[] raw = sb.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(raw, padded);
        Arrays.fill(out, raw.length, padded, (byte) ' ');
        return out;
    }

    /** Writes one tensor's elements in row-major order through {@code chunk}, a bulk buffer copy at a time. */
    private static void writeData(FileChannel ch, Tensor t, ByteBuffer chunk) throws IOException {
        int n = t.numel();
        switch (t.dtype()) {
            case F32 -> {
                float[] a = t.toFloatArray();
                for (int off = 0; off < n; ) {
                    int k = Math.min(n - off, CHUNK_BYTES / 4);
                    chunk.clear();
                    chunk.asFloatBuffer().put(a, off, k);
                    chunk.limit(k * 4);
                    writeFully(ch, chunk);
                    off += k;
                }
            }
            case F64 -> {
                double[] a = t.toDoubleArray();
                for (int off = 0; off < n; ) {
                    int k = Math.min(n - off, CHUNK_BYTES / 8);
                    chunk.clear();
                    chunk.asDoubleBuffer().put(a, off, k);
                    chunk.limit(k * 8);
                    writeFully(ch, chunk);
                    off += k;
                }
            }
            case I32 -> {
                int[] a = t.toIntArray();
                for (int off = 0; off < n; ) {
                    int k = Math.min(n - off, CHUNK_BYTES / 4);
                    chunk.clear();
                    chunk.asIntBuffer().put(a, off, k);
                    chunk.limit(k * 4);
                    writeFully(ch, chunk);
                    off += k;
                }
            }
            case I64 -> {
                long[] a = t.toLongArray();
                for (int off = 0; off < n; ) {
                    int k = Math.min(n - off, CHUNK_BYTES / 8);
                    chunk.clear();
                    chunk.asLongBuffer().put(a, off, k);
                    chunk.limit(k * 8);
                    writeFully(ch, chunk);
                    off += k;
                }
            }
            case BOOL -> {
                boolean[] a = t.toBooleanArray();
                byte[] bytes = new byte[Math.min(n, CHUNK_BYTES)];
                for (int off = 0; off < n; ) {
                    int k = Math.min(n - off, bytes.length);
                    for (int i = 0; i < k; i++) {
                        bytes[i] = a[off + i] ? (byte) 1 : (byte) 0;
                    }
                    writeFully(ch, ByteBuffer.wrap(bytes, 0, k));
                    off += k;
                }
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    // =========================================================================================================
    // Reading
    // =========================================================================================================

    /** Reads every tensor of {@code file} (on the current backend) and its metadata, after validating the file. */
    public static Contents load(Path file) {
        try (FileChannel ch = open(file)) {
            Header h = readHeader(ch, file);
            Map<String, Tensor> out = new LinkedHashMap<>();
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Map.Entry<String, Entry> e : h.entries().entrySet()) {
                out.put(e.getKey(), readTensor(ch, file, e.getKey(), e.getValue(), h.dataStart(), chunk));
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
        readFully(ch, lenBuf, 0, file);
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
        readFully(ch, hb, 8, file);
        hb.flip();
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb).toString();
        } catch (CharacterCodingException e) {
            throw bad(file, "the header (" + n + " bytes) is not valid UTF-8: the file is corrupt or not a"
                    + " safetensors file");
        }
        if (json.charAt(0) != '{') {
            throw bad(file, "the header does not start with '{': the file is corrupt or not a safetensors file");
        }
        Object root;
        try {
            root = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw bad(file, "the header is not valid JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw bad(file, "the header is not a JSON object");
        }
        long dataSize = size - 8 - n;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Map.Entry<String, Entry>> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                if (!(e.getValue() instanceof Map<?, ?> meta)) {
                    throw bad(file, "'" + METADATA_KEY + "' must be an object of strings");
                }
                for (Map.Entry<?, ?> m : meta.entrySet()) {
                    if (!(m.getValue() instanceof String s)) {
                        throw bad(file, "metadata value of '" + m.getKey() + "' must be a string, got "
                                + m.getValue());
                    }
                    metadata.put((String) m.getKey(), s);
                }
                continue;
            }
            entries.add(Map.entry(name, entry(file, name, e.getValue())));
        }
        entries.sort(Comparator.comparingLong((Map.Entry<String, Entry> e) -> e.getValue().begin())
                .thenComparingLong(e -> e.getValue().end()));
        long expected = 0;
        String previous = null;
        for (Map.Entry<String, Entry> e : entries) {
            Entry en = e.getValue();
            if (en.end() > dataSize) {
                throw bad(file, "tensor '" + e.getKey() + "' (" + en + ") needs data bytes up to " + en.end()
                        + ", but the file holds only " + dataSize + " bytes of data: the file is truncated");
            }
            if (en.begin() < expected) {
                throw bad(file, "tensor '" + e.getKey() + "' (" + en + ") overlaps tensor '" + previous
                        + "', which ends at byte " + expected);
            }
            if (en.begin() > expected) {
                throw bad(file, "data bytes [" + expected + ", " + en.begin() + ") before tensor '" + e.getKey()
                        + "' belong to no tensor: the offsets are corrupt");
            }
            expected = en.end();
            previous = e.getKey();
        }
        if (expected != dataSize) {
            throw bad(file, "the tensors cover " + expected + " bytes of data but the file holds " + dataSize
                    + ": " + (dataSize - expected) + " trailing bytes belong to no tensor (corrupt offsets or an"
                    + " appended file)");
        }
        Map<String, Entry> ordered = new LinkedHashMap<>();
        entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return new Header(Collections.unmodifiableMap(ordered), Collections.unmodifiableMap(metadata), 8 + n);
    }

    /** Validates one header entry. */
    private static Entry entry(Path file, String name, Object value) {
        if (!(value instanceof Map<?, ?> info)) {
            throw bad(file, "header entry '" + name + "' is not an object");
        }
        if (!(info.get("dtype") instanceof String dtype)) {
            throw bad(file, "tensor '" + name + "' has no string \"dtype\"");
        }
        FileType ft = FileType.parse(dtype);
        if (ft == null) {
            throw bad(file, "tensor '" + name + "' has unknown or unsupported dtype '" + dtype + "' (supported: "
                    + Arrays.toString(FileType.values()) + ")");
        }
        long[] shapeL = longs(file, name, "shape", info.get("shape"), -1);
        long[] offsets = longs(file, name, "data_offsets", info.get("data_offsets"), 2);
        int[] shape = new int[shapeL.length];
        long numel = 1;
        for (int i = 0; i < shapeL.length; i++) {
            if (shapeL[i] > Integer.MAX_VALUE) {
                throw bad(file, "tensor '" + name + "' has a dimension of " + shapeL[i]
                        + ", more than Deneb's limit of " + Integer.MAX_VALUE);
            }
            shape[i] = (int) shapeL[i];
            numel = Math.min(numel * shapeL[i], (long) Integer.MAX_VALUE + 1); // both factors <= 2^31: no overflow
        }
        if (numel > Integer.MAX_VALUE) {
            throw bad(file, "tensor '" + name + "' of shape " + Arrays.toString(shapeL) + " has more elements than"
                    + " Deneb's limit of " + Integer.MAX_VALUE);
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw bad(file, "tensor '" + name + "' has data_offsets [" + begin + ", " + end
                    + "] with end before begin");
        }
        if (end - begin != numel * ft.size) {
            throw bad(file, "tensor '" + name + "' of dtype " + dtype + " and shape " + Arrays.toString(shape)
                    + " needs " + numel * ft.size + " bytes, but its data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin));
        }
        return new Entry(dtype, shape, begin, end);
    }

    private static long[] longs(Path file, String name, String field, Object value, int length) {
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
            throw bad(file, "tensor '" + name + "' needs \"" + field + "\" as an array of "
                    + (length >= 0 ? length + " " : "") + "non-negative integers, got " + value);
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < 0) {
                throw bad(file, "tensor '" + name + "' needs \"" + field + "\" as an array of non-negative integers,"
                        + " got " + value);
            }
            out[i] = l;
        }
        return out;
    }

    private static Tensor readTensor(FileChannel ch, Path file, String name, Entry e, long dataStart,
                                     ByteBuffer chunk) throws IOException {
        FileType ft = FileType.parse(e.dtype());
        int n = (int) ((e.end() - e.begin()) / ft.size);
        long pos = dataStart + e.begin();
        int perChunk = CHUNK_BYTES / ft.size;
        Object array = switch (ft.loadsAs) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
            case I64 -> new long[n];
            case BOOL -> new boolean[n];
        };
        for (int off = 0; off < n; ) {
            int k = Math.min(n - off, perChunk);
            chunk.clear().limit(k * ft.size);
            readFully(ch, chunk, pos, file);
            chunk.flip();
            decode(ft, chunk, array, off, k, file, name);
            pos += (long) k * ft.size;
            off += k;
        }
        Tensor flat = switch (ft.loadsAs) {
            case F32 -> Tensor.of((float[]) array);
            case F64 -> Tensor.of((double[]) array);
            case I32 -> Tensor.of((int[]) array);
            case I64 -> Tensor.of((long[]) array);
            case BOOL -> Tensor.of((boolean[]) array);
        };
        return flat.reshape(e.shape());
    }

    /** Converts {@code k} elements from {@code b} into {@code array[off..]}; bulk views for the native types. */
    private static void decode(FileType ft, ByteBuffer b, Object array, int off, int k, Path file, String name) {
        switch (ft) {
            case F32 -> b.asFloatBuffer().get((float[]) array, off, k);
            case F64 -> b.asDoubleBuffer().get((double[]) array, off, k);
            case I32 -> b.asIntBuffer().get((int[]) array, off, k);
            case I64 -> b.asLongBuffer().get((long[]) array, off, k);
            case F16 -> {
                float[] a = (float[]) array;
                for (int i = 0; i < k; i++) {
                    a[off + i] = Float.float16ToFloat(b.getShort());
                }
            }
            case BF16 -> {
                float[] a = (float[]) array;
                for (int i = 0; i < k; i++) {
                    a[off + i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                }
            }
            case U32 -> {
                long[] a = (long[]) array;
                for (int i = 0; i < k; i++) {
                    a[off + i] = Integer.toUnsignedLong(b.getInt());
                }
            }
            case I16 -> {
                int[] a = (int[]) array;
                for (int i = 0; i < k; i++) {
                    a[off + i] = b.getShort();
                }
            }
            case U16 -> {
                int[] a = (int[]) array;
                for (int i = 0; i < k; i++) {
                    a[off + i] = b.getShort() & 0xffff;
                }
            }
            case I8 -> {
                int[] a = (int[]) array;
                for (int i = 0; i < k; i++) {
                    a[off + i] = b.get();
                }
            }
            case U8 -> {
                int[] a = (int[]) array;
                for (int i = 0; i < k; i++) {
                    a[off + i] = b.get() & 0xff;
                }
            }
            case BOOL -> {
                boolean[] a = (boolean[]) array;
                for (int i = 0; i < k; i++) {
                    byte v = b.get();
                    if (v != 0 && v != 1) {
                        throw bad(file, "tensor '" + name + "' is BOOL but holds the byte " + (v & 0xff)
                                + " at element " + (off + i) + " (expected 0 or 1)");
                    }
                    a[off + i] = v == 1;
                }
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path file) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw bad(file, "unexpected end of file at byte " + pos + ": the file is truncated");
            }
            pos += r;
        }
    }

    private static IllegalArgumentException bad(Path file, String problem) {
        return new IllegalArgumentException("safetensors file '" + file + "': " + problem);
    }
}
