package dev.deneb.spark.ml;

import dev.deneb.nn.io.SafeTensors;
import dev.deneb.spark.StateBytes;
import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A trained classifier as one safetensors file: the network's state dict (with the {@link Standardize} statistics
 * as {@code 0.mean} and {@code 0.std} when it standardises) and the architecture in the metadata
 * ({@link MlpFactory#metadata()}), so the file alone rebuilds the model. Goes through a temporary file, as
 * {@link StateBytes}, to reuse the one safetensors reader and writer.
 *
 * @param architecture the network, with its true standardisation statistics
 * @param state        the state dict as safetensors bytes ({@link StateBytes})
 */
record ModelBundle(MlpFactory architecture, byte[] state) {

    byte[] toBytes() {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("deneb-model", ".safetensors");
            SafeTensors.save(StateBytes.read(state), architecture.metadata(), tmp);
            return Files.readAllBytes(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelBundle: cannot write a temporary safetensors file: " + e, e);
        } finally {
            delete(tmp);
        }
    }

    static ModelBundle fromBytes(byte[] bytes, String where) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("deneb-model", ".safetensors");
            Files.write(tmp, bytes);
            SafeTensors.Contents c = SafeTensors.load(tmp);
            MlpFactory arch = MlpFactory.fromMetadata(c.metadata());
            Map<String, Tensor> tensors = c.tensors();
            if (arch.standardizes()) {
                arch = arch.standardized(tensors.get("0.mean").toDoubleArray(), tensors.get("0.std").toDoubleArray());
            }
            byte[] state = StateBytes.of(tensors);
            StateBytes.load(arch.create(), state); // fails here, naming the keys, if weights and metadata disagree
            return new ModelBundle(arch, state);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelBundle: cannot write a temporary safetensors file: " + e, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("ModelBundle: " + where + " is not a valid Deneb classifier bundle: "
                    + e.getMessage(), e);
        }
    }

    private static void delete(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }
}
