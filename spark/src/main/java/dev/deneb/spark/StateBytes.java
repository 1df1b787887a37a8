package dev.deneb.spark;

import dev.deneb.nn.Layer;
import dev.deneb.nn.io.SafeTensors;
import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A state dict as the bytes of a safetensors file, the form in which weights travel between the driver and the
 * executors (broadcasts, task results) and are stored by Spark ML's writers. Going through a temporary file keeps
 * one safetensors writer and reader, with all their validation.
 */
public final class StateBytes {
    private StateBytes() {}

    /** The safetensors bytes of {@code tensors}. */
    public static byte[] of(Map<String, Tensor> tensors) {
        return of(tensors, Map.of());
    }

    /** The safetensors bytes of {@code tensors} with free-form string metadata. */
    public static byte[] of(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("deneb-state", ".safetensors");
            SafeTensors.save(tensors, metadata, tmp);
            return Files.readAllBytes(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("StateBytes: cannot write a temporary safetensors file: " + e, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** The safetensors bytes of {@code model.stateDict()}. */
    public static byte[] of(Layer model) {
        return of(model.stateDict());
    }

    /** The tensors and metadata in {@code bytes} (validated as any safetensors file). */
    public static SafeTensors.Contents contents(byte[] bytes) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("deneb-state", ".safetensors");
            Files.write(tmp, bytes);
            return SafeTensors.load(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("StateBytes: cannot write a temporary safetensors file: " + e, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** The tensors in {@code bytes}. */
    public static Map<String, Tensor> read(byte[] bytes) {
        return contents(bytes).tensors();
    }

    /** Loads {@code bytes} into {@code model} (strict: every key must match); returns the model. */
    public static <M extends Layer> M load(M model, byte[] bytes) {
        model.loadStateDict(read(bytes), true);
        return model;
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }
}
