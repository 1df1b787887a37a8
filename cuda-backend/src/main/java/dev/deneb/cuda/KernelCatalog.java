package dev.deneb.cuda;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every kernel entry point the backend launches, and the PTX module ({@code src/main/cuda/<module>.cu}) that
 * defines it. {@code PtxResourcesTest} checks that the shipped PTX defines exactly these entries for every
 * architecture, so a renamed kernel fails the CPU build rather than a GPU run.
 */
final class KernelCatalog {
    /** The virtual architectures PTX is shipped for ({@code compute_XY}), newest first. */
    static final List<Integer> ARCHITECTURES = List.of(90, 80, 75);

    /** The modules, i.e. the .cu files. */
    static final List<String> MODULES = List.of("elementwise", "reduce", "index", "conv", "optim");

    private static final Map<String, String> MODULE_OF = build();

    private KernelCatalog() {}

    private static Map<String, String> build() {
        Map<String, String> m = new LinkedHashMap<>();
        String[] all = {"b8", "i32", "i64", "f32", "f64"};
        String[] numeric = {"i32", "i64", "f32", "f64"};
        String[] floats = {"f32", "f64"};
        String[] sizes = {"x1", "x4", "x8"};
        for (String t : all) {
            m.put("deneb_fill_" + t, "elementwise");
            for (String d : all) {
                m.put("deneb_copy_" + t + "_" + d, "elementwise");
            }
        }
        for (String t : numeric) {
            m.put("deneb_unary_" + t, "elementwise");
            m.put("deneb_binary_" + t, "elementwise");
            m.put("deneb_compare_" + t, "elementwise");
            m.put("deneb_argreduce_" + t, "reduce");
        }
        for (String s : sizes) {
            m.put("deneb_where_" + s, "elementwise");
            m.put("deneb_gather_" + s, "index");
            m.put("deneb_scatter_write_" + s, "index");
        }
        for (String t : new String[] {"f32", "f64", "i32", "i32_i64", "i64"}) {
            m.put("deneb_reduce_" + t, "reduce");
        }
        for (String t : floats) {
            m.put("deneb_softmax_" + t, "reduce");
            for (String k : new String[] {"im2col", "col2im", "maxpool_fwd", "maxpool_bwd", "avgpool_fwd",
                    "avgpool_bwd"}) {
                m.put("deneb_" + k + "_" + t, "conv");
            }
        }
        m.put("deneb_scatter_winner", "index");
        m.put("deneb_scatter_add_f64", "index");
        m.put("deneb_scatter_add_i64", "index");
        m.put("deneb_adam_f32", "optim");
        return Collections.unmodifiableMap(m);
    }

    /** Entry point name to module name. */
    static Map<String, String> entries() {
        return MODULE_OF;
    }

    static String moduleOf(String kernel) {
        String m = MODULE_OF.get(kernel);
        if (m == null) {
            throw new IllegalArgumentException("no CUDA kernel named " + kernel);
        }
        return m;
    }

    /** The resource path of a module's PTX for one architecture. */
    static String resource(String module, int arch) {
        return "/dev/deneb/cuda/ptx/" + module + ".compute_" + arch + ".ptx";
    }
}
