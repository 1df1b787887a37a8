package dev.deneb.nn.io;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/** The JSON header of a safetensors file, padded with spaces to a multiple of 8 bytes; checks names and metadata. */
final class HeaderWriter {
    private HeaderWriter() {}

    static byte[] bytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(Names.METADATA_KEY);
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    String problem = e.getKey() == null || e.getValue() == null ? "keys and values must not be null"
                            : Names.textProblem(e.getKey()) != null ? Names.textProblem(e.getKey())
                            : Names.textProblem(e.getValue());
                    if (problem != null) {
                        throw new IllegalArgumentException("safetensors save: metadata entry "
                                + Names.show(e.getKey()) + " = " + Names.show(e.getValue()) + " cannot be written: "
                                + problem);
                    }
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            long offset = 0;
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                String name = e.getKey();
                Tensor t = e.getValue();
                String problem = Names.tensorNameProblem(name);
                if (problem != null) {
                    throw new IllegalArgumentException("safetensors save: tensor name " + Names.show(name)
                            + " is not allowed: " + problem);
                }
                if (t == null) {
                    throw new IllegalArgumentException("safetensors save: tensor " + Names.show(name) + " is null");
                }
                if (t.dim() > SafeTensors.MAX_RANK) {
                    throw new IllegalArgumentException("safetensors save: tensor " + Names.show(name) + " has "
                            + t.dim() + " dimensions, more than the " + SafeTensors.MAX_RANK + " a file may hold");
                }
                FileType ft = FileType.of(t.dtype());
                long bytes = (long) t.numel() * ft.size;
                g.writeObjectFieldStart(name);
                g.writeStringField("dtype", ft.name());
                g.writeArrayFieldStart("shape");
                for (int d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + bytes);
                g.writeEndArray();
                g.writeEndObject();
                offset += bytes;
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter has no I/O
        }
        byte[] raw = out.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(raw, padded);
        Arrays.fill(header, raw.length, padded, (byte) ' ');
        return header;
    }
}
