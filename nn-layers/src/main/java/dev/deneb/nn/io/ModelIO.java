package dev.deneb.nn.io;

import dev.deneb.nn.Layer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and loads a {@link Layer}'s state dict as a safetensors file. Keys are the module's dotted names
 * ({@code features.0.weight}, {@code 1.running_mean}…), which follow PyTorch's {@code state_dict()} naming, so a
 * file written here loads in PyTorch with
 * {@code model.load_state_dict(safetensors.torch.load_file(path))} and the reverse:
 * <pre>{@code
 * ModelIO.save(model, Path.of("model.safetensors"));
 * Layer.LoadResult r = ModelIO.load(model, Path.of("model.safetensors"), true);
 * }</pre>
 */
public final class ModelIO {
    private ModelIO() {}

    /** Writes {@code model.stateDict()}; the metadata holds {@code "format": "pt"} as the Hugging Face tools expect. */
    public static void save(Layer model, Path file) {
        save(model, Map.of(), file);
    }

    /** Writes {@code model.stateDict()} with extra free-form metadata. */
    public static void save(Layer model, Map<String, String> metadata, Path file) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.putAll(metadata);
        SafeTensors.save(model.stateDict(), meta, file);
    }

    /**
     * Reads {@code file} into {@code model}'s parameters and buffers (see {@link Layer#loadStateDict}): with
     * {@code strict}, missing or unexpected keys are an error; without, they are listed in the result. A shape
     * mismatch is always an error. Errors name the file.
     */
    public static Layer.LoadResult load(Layer model, Path file, boolean strict) {
        SafeTensors.Contents c = SafeTensors.load(file);
        try {
            return model.loadStateDict(c.tensors(), strict);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ModelIO.load '" + file + "' into " + model.getClass().getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }
}
