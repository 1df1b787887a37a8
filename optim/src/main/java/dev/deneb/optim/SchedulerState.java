package dev.deneb.optim;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and writes the flat state dicts of the schedulers: counters are i64 scalars, rates and other reals f64
 * scalars or {@code [groups]} vectors. A {@link Reader} checks every value it hands out and, at the end, that no key
 * was left over, so a mismatched dict fails before the scheduler changes.
 */
final class SchedulerState {
    private SchedulerState() {}

    static Tensor integer(long v) {
        return Tensor.scalar(v, DType.I64);
    }

    static Tensor real(double v) {
        return Tensor.scalar(v, DType.F64);
    }

    static Tensor reals(double[] v) {
        return Tensor.of(v.clone(), v.length);
    }

    static Tensor integers(int[] v) {
        long[] l = new long[v.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = v[i];
        }
        return Tensor.of(l, l.length);
    }

    /** Starts an ordered map of settings: {@code settings().integer("step_size", 10).real("gamma", 0.1).map()}. */
    static Settings settings() {
        return new Settings();
    }

    /** Builds an insertion-ordered map of settings, so that saved files list them in a stable order. */
    static final class Settings {
        private final Map<String, Tensor> map = new LinkedHashMap<>();

        Settings integer(String key, long v) {
            map.put(key, SchedulerState.integer(v));
            return this;
        }

        Settings real(String key, double v) {
            map.put(key, SchedulerState.real(v));
            return this;
        }

        Settings integers(String key, int[] v) {
            map.put(key, SchedulerState.integers(v));
            return this;
        }

        Settings reals(String key, double[] v) {
            map.put(key, SchedulerState.reals(v));
            return this;
        }

        Map<String, Tensor> map() {
            return map;
        }
    }

    /** Pulls typed values out of a state dict, naming the scheduler, the key and what was expected on failure. */
    static final class Reader {
        private final String owner;
        private final Map<String, Tensor> dict;
        private final Set<String> read = new HashSet<>();

        Reader(String scheduler, Map<String, Tensor> dict) {
            this.owner = scheduler + ": loadStateDict";
            if (dict == null) {
                throw new IllegalArgumentException(owner + ": the state dict is null");
            }
            this.dict = dict;
        }

        private Tensor get(String key) {
            Tensor t = dict.get(key);
            if (t == null) {
                throw error("the state dict has no '" + key + "' (it has " + new TreeSet<>(dict.keySet())
                        + ")");
            }
            read.add(key);
            return t;
        }

        double real(String key) {
            Tensor t = get(key);
            if (t.numel() != 1) {
                throw error("'" + key + "' should hold one value, got shape " + Arrays.toString(t.shape()));
            }
            return t.item();
        }

        /** A whole number, at least {@code min}. */
        long integer(String key, long min) {
            double v = real(key);
            if (v != Math.rint(v) || v < min || v > Long.MAX_VALUE) {
                throw error("'" + key + "' must be a whole number >= " + min + ", got " + v);
            }
            return (long) v;
        }

        /** A vector of one value per parameter group. */
        double[] perGroup(String key, int groups) {
            Tensor t = get(key);
            if (t.dim() != 1 || t.size(0) != groups) {
                throw error("'" + key + "' has shape " + Arrays.toString(t.shape()) + ", expected [" + groups
                        + "] (one value per parameter group of this optimizer)");
            }
            return t.toDoubleArray();
        }

        /** Checks that a saved setting equals this scheduler's. */
        void expect(String key, Tensor configured) {
            Tensor saved = get(key);
            if (!Arrays.equals(saved.shape(), configured.shape())
                    || !Arrays.equals(saved.toDoubleArray(), configured.toDoubleArray())) {
                throw error("'" + key + "' is " + describe(saved) + " in the state dict but " + describe(configured)
                        + " in this scheduler (build the scheduler with the settings it was saved with)");
            }
        }

        /** Fails on keys nobody read, e.g. the state of another kind of scheduler. */
        void finish() {
            Set<String> extra = new TreeSet<>(dict.keySet());
            extra.removeAll(read);
            if (!extra.isEmpty()) {
                throw error("unexpected key(s) " + extra + "; this scheduler's state has " + new TreeSet<>(read));
            }
        }

        IllegalArgumentException error(String message) {
            return new IllegalArgumentException(owner + ": " + message);
        }
    }

    static String describe(Tensor t) {
        if (t.dim() == 0) {
            return t.dtype().isFloating() ? Double.toString(t.item()) : Long.toString((long) t.item());
        }
        return t.dtype().isFloating() ? Arrays.toString(t.toDoubleArray()) : Arrays.toString(t.toLongArray());
    }

    /** Settings and state in one ordered map. */
    static Map<String, Tensor> merge(Map<String, Tensor> settings, Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>(settings);
        out.putAll(state);
        return out;
    }
}
