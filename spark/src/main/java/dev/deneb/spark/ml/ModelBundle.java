package dev.deneb.spark.ml;

import dev.deneb.nn.io.SafeTensors;
import dev.deneb.spark.StateBytes;
import dev.deneb.tensor.Tensor;
import java.util.Map;

/**
 * A trained classifier as one safetensors file: the network's state dict (with the {@link Standardize} statistics
 * as {@code 0.mean} and {@code 0.std} when it standardises) and the architecture in the metadata
 * ({@link MlpFactory#metadata()}), so the file alone rebuilds the model.
 *
 * @param architecture the network, with its true standardisation statistics
 * @param state        the state dict as safetensors bytes ({@link StateBytes})
 */
record ModelBundle(MlpFactory architecture, byte[] state) {

    byte[] toBytes() {
        return StateBytes.of(StateBytes.read(state), architecture.metadata());
    }

    static ModelBundle fromBytes(byte[] bytes, String where) {
        try {
            SafeTensors.Contents c = StateBytes.contents(bytes);
            MlpFactory arch = MlpFactory.fromMetadata(c.metadata());
            Map<String, Tensor> tensors = c.tensors();
            if (arch.standardizes()) {
                arch = arch.standardized(tensors.get("0.mean").toDoubleArray(), tensors.get("0.std").toDoubleArray());
            }
            byte[] state = StateBytes.of(tensors);
            StateBytes.load(arch.create(), state); // fails here, naming the keys, if weights and metadata disagree
            return new ModelBundle(arch, state);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("ModelBundle: " + where + " is not a valid Deneb classifier bundle: "
                    + e.getMessage(), e);
        }
    }
}
