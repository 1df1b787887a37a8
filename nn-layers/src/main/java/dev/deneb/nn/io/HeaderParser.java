package dev.deneb.nn.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors header from its JSON and validates it while reading, so that nothing larger than the header
 * itself is ever built: a shape stops at {@link SafeTensors#MAX_RANK} dimensions, unknown fields are skipped
 * without being materialised, and the entries are checked to tile the data section exactly.
 */
final class HeaderParser {
    private final Path file;
    private final JsonParser p;

    private HeaderParser(Path file, JsonParser p) {
        this.file = file;
        this.p = p;
    }

    /** The validated header of a file whose JSON is {@code json} (valid UTF-8) and whose data has dataSize bytes. */
    static SafeTensors.Header parse(Path file, byte[] json, long dataSize) {
        try (JsonParser p = Json.parser(json)) {
            return new HeaderParser(file, p).header(dataSize, 8L + json.length);
        } catch (JsonProcessingException e) {
            throw SafeTensors.bad(file, "the header is not valid JSON: " + Json.malformed(e).getMessage());
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("malformed JSON")) {
                throw SafeTensors.bad(file, "the header is not valid JSON: " + e.getMessage());
            }
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from memory cannot fail with I/O", e);
        }
    }

    private SafeTensors.Header header(long dataSize, long dataStart) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw bad("the header is not a JSON object: it starts with " + p.currentToken());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Map.Entry<String, SafeTensors.Entry>> entries = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals(Names.METADATA_KEY)) {
                metadata(metadata);
            } else {
                String problem = Names.tensorNameProblem(name);
                if (problem != null) {
                    throw bad("tensor name " + Names.show(name) + " is not allowed: " + problem);
                }
                entries.add(Map.entry(name, entry(name)));
            }
        }
        Json.requireEnd(p);
        return new SafeTensors.Header(tile(entries, dataSize), Collections.unmodifiableMap(metadata), dataStart);
    }

    private void metadata(Map<String, String> out) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad("'" + Names.METADATA_KEY + "' must be an object of strings, got " + p.currentToken());
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw bad("metadata value of " + Names.show(key) + " must be a string, got " + p.currentToken());
            }
            String value = p.getText();
            String problem = Names.textProblem(key) != null ? Names.textProblem(key) : Names.textProblem(value);
            if (problem != null) {
                throw bad("metadata entry " + Names.show(key) + " cannot be kept: " + problem);
            }
            out.put(key, value);
        }
    }

    /** One tensor's entry: {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}; other fields are skipped. */
    private SafeTensors.Entry entry(String name) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad("header entry " + Names.show(name) + " is not an object");
        }
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (p.currentToken() != JsonToken.VALUE_STRING) {
                        throw bad("tensor " + Names.show(name) + " has no string \"dtype\"");
                    }
                    dtype = p.getText();
                }
                case "shape" -> shape = longs(name, field, SafeTensors.MAX_RANK, false);
                case "data_offsets" -> offsets = longs(name, field, 2, true);
                default -> p.skipChildren();
            }
        }
        if (dtype == null) {
            throw bad("tensor " + Names.show(name) + " has no string \"dtype\"");
        }
        FileType ft = FileType.parse(dtype);
        if (ft == null) {
            throw bad("tensor " + Names.show(name) + " has unknown or unsupported dtype " + Names.show(dtype)
                    + " (supported: " + Arrays.toString(FileType.values()) + ")");
        }
        if (shape == null) {
            throw bad("tensor " + Names.show(name) + " needs \"shape\" as an array of at most " + SafeTensors.MAX_RANK
                    + " non-negative integers, but has none");
        }
        if (offsets == null) {
            throw bad("tensor " + Names.show(name) + " needs \"data_offsets\" as an array of 2 non-negative"
                    + " integers, but has none");
        }
        int[] dims = new int[shape.length];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > Integer.MAX_VALUE) {
                throw bad("tensor " + Names.show(name) + " has a dimension of " + shape[i]
                        + ", more than Deneb's limit of " + Integer.MAX_VALUE);
            }
            dims[i] = (int) shape[i];
            numel = Math.min(numel * shape[i], (long) Integer.MAX_VALUE + 1); // both factors <= 2^31: no overflow
        }
        if (numel > Tensor.MAX_ELEMENTS) {
            throw bad("tensor " + Names.show(name) + " of shape " + Arrays.toString(shape) + " has more elements"
                    + " than Deneb's limit of " + Tensor.MAX_ELEMENTS);
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw bad("tensor " + Names.show(name) + " has data_offsets [" + begin + ", " + end
                    + "] with end before begin");
        }
        if (end - begin != numel * ft.size) {
            throw bad("tensor " + Names.show(name) + " of dtype " + dtype + " and shape " + Arrays.toString(dims)
                    + " needs " + numel * ft.size + " bytes, but its data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin));
        }
        return new SafeTensors.Entry(dtype, dims, begin, end);
    }

    /** An array of non-negative 64-bit integers, of exactly (exact) or at most {@code limit} elements. */
    private long[] longs(String name, String field, int limit, boolean exact) throws IOException {
        String wanted = "tensor " + Names.show(name) + " needs \"" + field + "\" as an array of "
                + (exact ? "" : "at most ") + limit + " non-negative integers";
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw bad(wanted + ", got " + p.currentToken());
        }
        long[] out = new long[limit];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == limit) {
                throw bad(wanted + ", got more" + (exact ? "" : " (Deneb's rank limit is " + limit + ")"));
            }
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw bad(wanted + ", got " + describeToken() + " at index " + n);
            }
            long v = Json.longValue(p);
            if (v < 0) {
                throw bad(wanted + ", got " + v + " at index " + n);
            }
            out[n++] = v;
        }
        if (exact && n != limit) {
            throw bad(wanted + ", got " + n);
        }
        return Arrays.copyOf(out, n);
    }

    private String describeToken() throws IOException {
        JsonToken t = p.currentToken();
        return t.isScalarValue() ? t + " " + Names.show(p.getText()) : t.toString();
    }

    /** Orders the entries by offset and checks that they tile [0, dataSize) with no gap and no overlap. */
    private Map<String, SafeTensors.Entry> tile(List<Map.Entry<String, SafeTensors.Entry>> entries, long dataSize) {
        entries.sort(Comparator.comparingLong((Map.Entry<String, SafeTensors.Entry> e) -> e.getValue().begin())
                .thenComparingLong(e -> e.getValue().end()));
        long expected = 0;
        String previous = null;
        for (Map.Entry<String, SafeTensors.Entry> e : entries) {
            SafeTensors.Entry en = e.getValue();
            String name = Names.show(e.getKey());
            if (en.end() > dataSize) {
                throw bad("tensor " + name + " (" + en + ") needs data bytes up to " + en.end()
                        + ", but the file holds only " + dataSize + " bytes of data: the file is truncated");
            }
            if (en.begin() < expected) {
                throw bad("tensor " + name + " (" + en + ") overlaps tensor " + Names.show(previous)
                        + ", which ends at byte " + expected);
            }
            if (en.begin() > expected) {
                throw bad("data bytes [" + expected + ", " + en.begin() + ") before tensor " + name
                        + " belong to no tensor: the offsets are corrupt");
            }
            expected = en.end();
            previous = e.getKey();
        }
        if (expected != dataSize) {
            throw bad("the tensors cover " + expected + " bytes of data but the file holds " + dataSize + ": "
                    + (dataSize - expected) + " trailing bytes belong to no tensor (corrupt offsets or an appended"
                    + " file)");
        }
        Map<String, SafeTensors.Entry> ordered = new LinkedHashMap<>();
        entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return Collections.unmodifiableMap(ordered);
    }

    private IllegalArgumentException bad(String problem) {
        return SafeTensors.bad(file, problem);
    }
}
