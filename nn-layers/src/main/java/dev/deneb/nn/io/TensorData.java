package dev.deneb.nn.io;

import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A tensor's raw little-endian bytes in a safetensors data section, read and written through one caller-owned heap
 * buffer. Heap, not direct: a direct buffer per call is freed only by a GC, so loads and saves failed within a
 * second under {@code -XX:MaxDirectMemorySize=32m -XX:+DisableExplicitGC}.
 */
final class TensorData {
    /** The largest buffer used: enough for bulk copies, small beside any tensor worth streaming. */
    static final int CHUNK_BYTES = 1 << 20;

    private TensorData() {}

    /** A buffer for tensors of at most {@code largestBytes} bytes: no bigger than needed, at most 1 MiB. */
    static ByteBuffer buffer(long largestBytes) {
        int size = (int) Math.max(8, Math.min(CHUNK_BYTES, largestBytes));
        return ByteBuffer.allocate(size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    /** Reads the tensor of entry {@code e} (already validated against the file) at {@code dataStart}. */
    static Tensor read(FileChannel ch, Path file, String name, SafeTensors.Entry e, long dataStart, ByteBuffer chunk)
            throws IOException {
        FileType ft = FileType.parse(e.dtype());
        int n = (int) ((e.end() - e.begin()) / ft.size);
        long pos = dataStart + e.begin();
        int perChunk = chunk.capacity() / ft.size;
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
                        throw SafeTensors.bad(file, "tensor " + Names.show(name) + " is BOOL but holds the byte "
                                + (v & 0xff) + " at element " + (off + i) + " (expected 0 or 1)");
                    }
                    a[off + i] = v == 1;
                }
            }
        }
    }

    /** Writes one tensor's elements in row-major order through {@code chunk}, a bulk buffer copy at a time. */
    static void write(FileChannel ch, Tensor t, ByteBuffer chunk) throws IOException {
        int n = t.numel();
        int size = FileType.of(t.dtype()).size;
        int perChunk = chunk.capacity() / size;
        Object a = switch (t.dtype()) {
            case F32 -> t.toFloatArray();
            case F64 -> t.toDoubleArray();
            case I32 -> t.toIntArray();
            case I64 -> t.toLongArray();
            case BOOL -> t.toBooleanArray();
        };
        for (int off = 0; off < n; off += perChunk) {
            int k = Math.min(n - off, perChunk);
            chunk.clear();
            switch (a) {
                case float[] v -> chunk.asFloatBuffer().put(v, off, k);
                case double[] v -> chunk.asDoubleBuffer().put(v, off, k);
                case int[] v -> chunk.asIntBuffer().put(v, off, k);
                case long[] v -> chunk.asLongBuffer().put(v, off, k);
                case boolean[] v -> {
                    for (int i = 0; i < k; i++) {
                        chunk.put(i, v[off + i] ? (byte) 1 : (byte) 0);
                    }
                }
                default -> throw new IllegalStateException("unexpected array " + a.getClass());
            }
            chunk.limit(k * size);
            writeFully(ch, chunk);
        }
    }

    static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    static void readFully(FileChannel ch, ByteBuffer b, long pos, Path file) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw SafeTensors.bad(file, "unexpected end of file at byte " + pos + ": the file is truncated");
            }
            pos += r;
        }
    }
}
