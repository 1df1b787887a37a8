package dev.deneb.onnx.fuzz;

import dev.deneb.nn.Layer;
import dev.deneb.nn.Linear;
import dev.deneb.nn.Sequential;
import dev.deneb.nn.attention.TransformerEncoderLayer;
import dev.deneb.nn.attention.TransformerOptions;
import dev.deneb.onnx.OnnxException;
import dev.deneb.onnx.OnnxExport;
import dev.deneb.onnx.OnnxModel;
import dev.deneb.onnx.proto.DataType;
import dev.deneb.onnx.proto.ModelProto;
import dev.deneb.onnx.proto.OnnxFormat;
import dev.deneb.onnx.proto.ValueInfoProto;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.GradMode;
import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads and runs mutated models ({@link ModelMutations}) and checks the importer's contract: each case loads and
 * runs, or fails with an {@link OnnxException} (or an IllegalArgumentException from a tensor op, which the importer
 * wraps with the node's name) — never an exception from an array index, a null, a cast, a negative size, a stack
 * overflow or running out of memory. Meant for a JVM with a small heap ({@link ImportFuzzTest} starts one). Prints a
 * summary and exits 1 on a violation.
 */
public final class ImportFuzz {
    private static final int MAX_REPORTED = 20;

    private ImportFuzz() {}

    public static void main(String[] args) throws Exception {
        List<ModelMutations.Case> cases = new ArrayList<>();
        ModelMutations mutations = new ModelMutations(20261207L);
        for (Map.Entry<String, ModelProto> seed : seeds().entrySet()) {
            cases.add(new ModelMutations.Case(seed.getKey() + " (unchanged)", seed.getValue()));
            cases.addAll(mutations.of(seed.getKey(), seed.getValue(), 120));
        }
        int ran = 0;
        int refused = 0;
        List<String> violations = new ArrayList<>();
        long slowest = 0;
        String slowestCase = "";
        for (ModelMutations.Case c : cases) {
            long t0 = System.nanoTime();
            try {
                OnnxModel m = OnnxModel.of(c.model());
                try (var g = GradMode.noGrad()) {
                    m.run(inputs(c.model()));
                }
                ran++;
            } catch (Throwable t) {
                String why = contractBroken(t);
                if (why == null) {
                    refused++;
                } else if (violations.size() < MAX_REPORTED) {
                    violations.add(c.name() + ": " + why);
                } else {
                    violations.add("");
                }
            }
            long took = System.nanoTime() - t0;
            if (took > slowest) {
                slowest = took;
                slowestCase = c.name();
            }
        }
        System.out.printf(Locale.ROOT, "import fuzz: %d cases, %d ran, %d refused cleanly, %d violations; slowest %.1f"
                + " ms (%s)%n", cases.size(), ran, refused, violations.size(), slowest / 1e6, slowestCase);
        violations.stream().filter(v -> !v.isEmpty()).forEach(v -> System.out.println("VIOLATION " + v));
        System.exit(violations.isEmpty() ? 0 : 1);
    }

    /** Null when {@code t} is a clean refusal, else what broke the contract. */
    static String contractBroken(Throwable t) {
        if (!(t instanceof OnnxException || t instanceof IllegalArgumentException)) {
            return t.getClass().getName() + ": " + t.getMessage();
        }
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            if (!(c instanceof IllegalArgumentException || c instanceof IllegalStateException
                    || c instanceof OnnxException || c instanceof UnsupportedOperationException)) {
                return t.getMessage() + " caused by " + c.getClass().getName() + ": " + c.getMessage();
            }
        }
        return t.getMessage() == null || t.getMessage().isBlank() ? "no message" : null;
    }

    /** Random inputs for the declared graph inputs, symbolic sizes 2, indices small. */
    static Map<String, Tensor> inputs(ModelProto m) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        Generator g = new Generator(1);
        for (ValueInfoProto v : m.graph().inputs()) {
            if (v.shape() == null) {
                continue;
            }
            int[] shape = v.shape().stream().mapToInt(d -> d.param() != null || d.value() < 0 ? 2
                    : (int) Math.min(d.value(), 64)).toArray();
            Tensor t = switch (v.elemType()) {
                case DataType.INT64 -> g.randint(0, 3, shape);
                case DataType.INT32 -> g.randint(0, 3, shape).to(DType.I32);
                case DataType.BOOL -> Tensor.zeros(DType.BOOL, shape);
                case DataType.DOUBLE -> g.normal(0, 1, shape).to(DType.F64);
                default -> g.normal(0, 1, shape);
            };
            in.put(v.name(), t);
        }
        return in;
    }

    /** PyTorch's fixtures and a few models exported by Deneb. */
    static Map<String, ModelProto> seeds() throws URISyntaxException {
        Map<String, ModelProto> seeds = new LinkedHashMap<>();
        Path folder = Path.of(ImportFuzz.class.getResource("/fixtures").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(p -> p.toString().endsWith(".onnx")).sorted()
                    .forEach(p -> seeds.put("pytorch " + p.getFileName(), OnnxFormat.read(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Generator g = new Generator(3);
        Layer mlp = new Sequential(new Linear(4, 8, Linear.Options.defaults().generator(g)),
                new Linear(8, 2, Linear.Options.defaults().generator(g)));
        seeds.put("deneb mlp", OnnxExport.toModel(mlp, g.normal(0, 1, 2, 4)));
        Layer encoder = new TransformerEncoderLayer(8, 2, TransformerOptions.defaults().dimFeedforward(16)
                .batchFirst(true).generator(g));
        seeds.put("deneb encoder", OnnxExport.toModel(encoder, g.normal(0, 1, 2, 3, 8)));
        return seeds;
    }
}
