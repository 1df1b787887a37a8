package dev.deneb.spark.ml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deneb.spark.inference.HadoopFiles;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * A stage's params as the JSON document Spark ML keeps in {@code <path>/metadata/part-00000}: {@code class},
 * {@code uid}, {@code timestamp}, {@code sparkVersion}, {@code paramMap} (values set by the user) and
 * {@code defaultParamMap}, each value in its param's own JSON encoding. Keeping Spark's layout is what lets
 * {@code Pipeline.load} and {@code PipelineModel.load} find the class of a stage and call its static {@code read()}.
 */
final class StageMetadata {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StageMetadata() {}

    /** What {@link #read} found: the stage's uid and its JSON document. */
    record Loaded(String uid, JsonNode document) {}

    static void write(Params stage, String path, String sparkVersion, Configuration conf) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("class", stage.getClass().getName());
        doc.put("timestamp", System.currentTimeMillis());
        doc.put("sparkVersion", sparkVersion);
        doc.put("uid", stage.uid());
        doc.set("paramMap", encode(stage, false));
        doc.set("defaultParamMap", encode(stage, true));
        HadoopFiles.write(file(path), doc.toString().getBytes(StandardCharsets.UTF_8), conf);
    }

    static Loaded read(String path, Class<?> expected, Configuration conf) {
        String text = new String(HadoopFiles.read(file(path), conf), StandardCharsets.UTF_8);
        JsonNode doc;
        try {
            doc = JSON.readTree(text.strip());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot parse the Spark ML metadata in " + file(path) + ": "
                    + e.getOriginalMessage(), e);
        }
        String cls = doc.path("class").asText("");
        if (!expected.getName().equals(cls)) {
            throw new IllegalArgumentException(path + " holds a saved " + (cls.isEmpty() ? "unknown stage" : cls)
                    + ", not a " + expected.getName() + "; load it with that class's load()");
        }
        return new Loaded(doc.path("uid").asText(), doc);
    }

    /** Sets the saved defaults, then the saved explicit values, on {@code stage}. */
    static void restore(Loaded loaded, PersistedStage stage) {
        restore(loaded.document().path("defaultParamMap"), stage, true);
        restore(loaded.document().path("paramMap"), stage, false);
    }

    private static void restore(JsonNode values, PersistedStage stage, boolean asDefault) {
        for (Map.Entry<String, JsonNode> e : values.properties()) {
            Param<Object> param;
            try {
                param = stage.getParam(e.getKey());
            } catch (NoSuchElementException ex) {
                throw new IllegalArgumentException("saved " + stage.getClass().getSimpleName() + " has param '"
                        + e.getKey() + "', which this version does not know", ex);
            }
            stage.restoreParam(param, param.jsonDecode(e.getValue().toString()), asDefault);
        }
    }

    /** The explicitly set values, or the defaults, through public accessors (Spark's own maps are internal). */
    private static ObjectNode encode(Params stage, boolean defaults) {
        ObjectNode out = JSON.createObjectNode();
        for (Param<?> p : stage.params()) {
            if (defaults ? stage.hasDefault(p) : stage.isSet(p)) {
                try {
                    out.set(p.name(), JSON.readTree(jsonOf(stage, p, defaults)));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("param " + p.name() + " encodes to invalid JSON", e);
                }
            }
        }
        return out;
    }

    private static <T> String jsonOf(Params stage, Param<T> p, boolean defaults) {
        T value = defaults ? stage.getDefault(p).get() : stage.getOrDefault(p);
        return p.jsonEncode(value);
    }

    private static String file(String path) {
        return new Path(new Path(path, "metadata"), "part-00000").toString();
    }
}
