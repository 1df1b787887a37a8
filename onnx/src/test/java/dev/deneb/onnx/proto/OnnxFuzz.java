package dev.deneb.onnx.proto;

import dev.deneb.onnx.OnnxException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Decodes every mutated model and checks the decoder's contract: each case decodes or throws an
 * {@link OnnxException} with a message (nothing else: no exception from an array, no stack overflow, no out of
 * memory); no case allocates more than {@link #ALLOWED_MULTIPLE} times its size plus {@link #ALLOWED_OVERHEAD}
 * bytes; and a model that decodes re-encodes to bytes that decode and encode to the same bytes again. Meant for a
 * JVM with a small heap ({@link OnnxFuzzTest} starts one), so that an allocation sized by a declared length fails
 * loudly. Prints a summary and exits 1 if any case broke the contract.
 *
 * <p>Every case runs twice: the first pass warms up and checks re-encoding, the second measures allocation with
 * {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}.
 */
public final class OnnxFuzz {
    /** An empty message takes 2 bytes and becomes a record of about 60 (with its slot in the parent's list). */
    static final long ALLOWED_MULTIPLE = 48;
    static final long ALLOWED_OVERHEAD = 64 << 10;
    private static final int MAX_REPORTED = 20;

    private OnnxFuzz() {}

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 20260101L;
        List<dev.deneb.fuzz.Mutations.Case> cases = new OnnxMutations(seed).all(OnnxSeeds.all());
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<String> violations = new ArrayList<>();
        long t0 = System.nanoTime();
        int decoded = 0;
        long maxBytes = 0;
        String maxCase = "";
        double maxMultiple = 0;
        long slowest = 0;
        String slowestCase = "";
        for (int pass = 0; pass < 2; pass++) {
            for (dev.deneb.fuzz.Mutations.Case c : cases) {
                String where = c.name() + " (" + c.bytes().length + " bytes): ";
                Throwable failure = null;
                ModelProto model = null;
                long before = threads.getCurrentThreadAllocatedBytes();
                long start = System.nanoTime();
                try {
                    model = OnnxFormat.decode(c.bytes());
                } catch (Throwable t) {
                    failure = t;
                }
                long nanos = System.nanoTime() - start;
                long bytes = threads.getCurrentThreadAllocatedBytes() - before;
                if (pass == 0) {
                    if (failure != null && !(failure instanceof OnnxException && failure.getMessage() != null)) {
                        violations.add(where + "threw " + failure + (failure.getStackTrace().length > 0
                                ? " at " + failure.getStackTrace()[0] : ""));
                    } else if (model != null) {
                        reencodes(model, where, violations);
                    }
                    continue;
                }
                decoded += model != null ? 1 : 0;
                if (nanos > slowest) {
                    slowest = nanos;
                    slowestCase = c.name();
                }
                if (bytes > maxBytes) {
                    maxBytes = bytes;
                    maxCase = c.name() + " (" + c.bytes().length + " bytes)";
                }
                if (c.bytes().length >= 256) {
                    maxMultiple = Math.max(maxMultiple, (double) bytes / c.bytes().length);
                }
                if (bytes > ALLOWED_MULTIPLE * c.bytes().length + ALLOWED_OVERHEAD) {
                    violations.add(where + "allocated " + bytes + " bytes, more than " + ALLOWED_MULTIPLE
                            + " x the input + " + ALLOWED_OVERHEAD);
                }
            }
        }
        System.out.printf(Locale.ROOT, "onnx fuzz, seed %d, max heap %d MiB: %d cases (%d decoded, %d rejected) in"
                + " %.1f s%n", seed, Runtime.getRuntime().maxMemory() >> 20, cases.size(), decoded,
                cases.size() - decoded, (System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "largest allocation %,d bytes, by %s; worst multiple over inputs >= 256 bytes"
                + " %.1f x; slowest %.1f ms (%s)%n", maxBytes, maxCase, maxMultiple, slowest / 1e6, slowestCase);
        System.out.printf(Locale.ROOT, "%d violations%n", violations.size());
        violations.stream().limit(MAX_REPORTED).forEach(v -> System.out.println("VIOLATION " + v));
        System.out.flush();
        System.exit(violations.isEmpty() ? 0 : 1);
    }

    /** A decoded model encodes, and that encoding is a fixed point of decode then encode. */
    private static void reencodes(ModelProto model, String where, List<String> violations) {
        try {
            byte[] once = OnnxFormat.encode(model);
            byte[] twice = OnnxFormat.encode(OnnxFormat.decode(once));
            if (!Arrays.equals(once, twice)) {
                violations.add(where + "re-encoding the decoded model is not stable");
            }
        } catch (Throwable t) {
            violations.add(where + "re-encoding the decoded model threw " + t);
        }
    }
}
