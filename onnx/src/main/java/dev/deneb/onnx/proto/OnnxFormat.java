package dev.deneb.onnx.proto;

import dev.deneb.onnx.OnnxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes {@code .onnx} files: the protobuf encoding of ONNX's {@code ModelProto}, by a small hand-written
 * codec (no protobuf library, so no version of it to clash with an application's). Decoding checks every declared
 * length against the bytes left before allocating, limits how deep messages nest, and reports malformed content
 * as an {@link OnnxException} naming the fields involved and the byte offset; it never allocates much more than
 * the input's size.
 *
 * <p>Decoding keeps the fields the {@code proto} records hold and skips the others (documentation strings,
 * metadata, functions, training info). Tensors are refused when their data lives in an external file, in
 * segments or as strings, and graphs are refused when they have sparse initializers.
 */
public final class OnnxFormat {
    /** The largest input accepted: protobuf messages, and Java arrays, stop short of 2 GB. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private OnnxFormat() {}

    /**
     * The model in an ONNX file.
     *
     * @throws OnnxException        if the content is not a valid ONNX model or uses what Deneb cannot hold; the
     *                              message names the file
     * @throws UncheckedIOException if the file cannot be read
     */
    public static ModelProto read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new OnnxException(file + ": " + size + " bytes, more than the 2 GB an ONNX file can hold"
                        + " (larger models keep their tensors in external data, which is not supported)");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX file " + file, e);
        }
        try {
            return decode(bytes);
        } catch (OnnxException e) {
            throw new OnnxException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The model that {@code bytes} encode.
     *
     * @throws OnnxException if the bytes are not a valid ONNX model or use what Deneb cannot hold
     */
    public static ModelProto decode(byte[] bytes) {
        return ProtoDecoder.model(new WireReader(bytes, "model"));
    }

    /**
     * The protobuf encoding of {@code model}: what an ONNX file holds.
     *
     * @throws OnnxException if the model has no graph, a tensor's data does not match its dims and type, or the
     *                       encoding would exceed 2 GB
     */
    public static byte[] encode(ModelProto model) {
        if (model.graph() == null) {
            throw new OnnxException("cannot encode a model without a graph");
        }
        WireWriter counter = WireWriter.counter();
        ProtoEncoder.model(counter, model);
        if (counter.size() > MAX_BYTES) {
            throw new OnnxException("the model needs " + counter.size() + " bytes, more than the 2 GB an ONNX file"
                    + " can hold");
        }
        WireWriter w = new WireWriter((int) counter.size());
        ProtoEncoder.model(w, model);
        return w.toByteArray();
    }

    /**
     * Writes {@code model} to {@code file}: first to a temporary file in the same folder, then moved into place, so
     * that a reader never sees a partly written file and a failure leaves any previous file intact.
     *
     * @throws OnnxException        if the model cannot be encoded (see {@link #encode})
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void write(ModelProto model, Path file) {
        byte[] bytes = encode(model);
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ONNX file " + file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // the write already failed; that error is the one to report
                }
            }
        }
    }
}
