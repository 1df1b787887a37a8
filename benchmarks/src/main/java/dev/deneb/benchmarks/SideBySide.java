package dev.deneb.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Deneb's side of the side-by-side workloads in {@code benchmarks/peers/README.md}: prints one JSON line per
 * (workload, case, threads) on stdout, progress on stderr. {@code benchmarks/peers/torch_peer.py} is the PyTorch side
 * and {@code benchmarks/peers/compare.py} sets the two outputs side by side.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.deneb.benchmarks.SideBySide \
 *     --workloads sgemm --threads 1,2 &gt; deneb.jsonl
 * </pre>
 */
public final class SideBySide {
    /** Every workload this runner knows, by name, in the order they run. */
    private static final Map<String, Supplier<Workload>> WORKLOADS = new LinkedHashMap<>();

    static {
        register("sgemm", SgemmWorkload::new);
        register("dispatch", DispatchWorkload::new);
        register("mlp", MlpWorkload::new);
        register("cnn", CnnWorkload::new);
        register("lstm", RecurrentWorkload::lstm);
        register("transformer", TransformerWorkload::new);
        register("gru", RecurrentWorkload::gru);
        register("conv_bn", ConvBnWorkload::new);
        register("gcn", GcnWorkload::new);
        register("infer_b1", InferWorkload::new);
    }

    private SideBySide() {}

    private static void register(String name, Supplier<Workload> factory) {
        WORKLOADS.put(name, factory);
    }

    public static void main(String[] args) {
        List<String> names = new ArrayList<>(WORKLOADS.keySet());
        List<Integer> threads = List.of(1, Runtime.getRuntime().availableProcessors());
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--workloads" -> names = List.of(value(args, ++i, arg).split(","));
                case "--threads" -> threads = parseThreads(value(args, ++i, arg));
                case "-h", "--help" -> {
                    System.out.println(usage());
                    return;
                }
                default -> fail("unknown argument '" + arg + "'");
            }
        }
        List<Workload> chosen = new ArrayList<>();
        for (String name : names) {
            Supplier<Workload> w = WORKLOADS.get(name.trim());
            if (w == null) {
                fail("unknown workload '" + name.trim() + "'; known workloads: " + String.join(", ", WORKLOADS.keySet()));
            }
            chosen.add(w.get());
        }
        for (Workload w : chosen) {
            for (int t : threads) {
                Sampler.log("[deneb] " + w.name() + ", threads=" + t);
                for (Result r : w.run(t)) {
                    System.out.println(r.toJson());
                    System.out.flush();
                }
            }
        }
    }

    private static List<Integer> parseThreads(String list) {
        List<Integer> out = new ArrayList<>();
        for (String s : list.split(",")) {
            try {
                int t = Integer.parseInt(s.trim());
                if (t < 1) {
                    throw new NumberFormatException();
                }
                out.add(t);
            } catch (NumberFormatException e) {
                fail("--threads takes positive integers separated by commas, got '" + list + "'");
            }
        }
        return out;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            fail(flag + " needs a value");
        }
        return args[i];
    }

    private static String usage() {
        return "usage: SideBySide [--workloads " + String.join(",", WORKLOADS.keySet()) + "] [--threads 1,2]";
    }

    private static void fail(String message) {
        System.err.println("SideBySide: " + message);
        System.err.println(usage());
        System.exit(2);
    }
}
