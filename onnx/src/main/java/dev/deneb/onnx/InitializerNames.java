package dev.deneb.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each initializer lives in the layer tree of an {@link OnnxModel}. Deneb's parameter names cannot contain
 * dots, so a dotted ONNX name (as PyTorch's exporter writes them, e.g. {@code encoder.0.weight}) becomes a path of
 * nested layers, and the Deneb state-dict name equals the ONNX name. A name that cannot be nested (an empty part,
 * or a part clashing with another name) stays at the top level with its dots replaced by underscores, and a suffix
 * where needed to be unique.
 */
final class InitializerNames {
    private InitializerNames() {}

    /** One level of the tree: the groups and the leaves under it. */
    private static final class Level {
        final Map<String, Level> groups = new HashMap<>();
        final Set<String> leaves = new HashSet<>();

        boolean taken(String name) {
            return leaves.contains(name) || groups.containsKey(name);
        }
    }

    /** The path (group names, then the leaf name) of every name, in order. */
    static List<String[]> plan(List<String> names) {
        Level root = new Level();
        List<String[]> out = new ArrayList<>();
        for (String name : names) {
            String[] parts = name.split("\\.", -1);
            if (fits(root, parts)) {
                Level level = root;
                for (int k = 0; k < parts.length - 1; k++) {
                    level = level.groups.computeIfAbsent(parts[k], p -> new Level());
                }
                level.leaves.add(parts[parts.length - 1]);
                out.add(parts);
                continue;
            }
            String flat = name.isEmpty() ? "unnamed" : name.replace('.', '_');
            String unique = flat;
            for (int k = 1; root.taken(unique); k++) {
                unique = flat + "_" + k;
            }
            root.leaves.add(unique);
            out.add(new String[] {unique});
        }
        return out;
    }

    /** Whether {@code parts} can be placed: no empty part, groups where groups go and a free leaf name. */
    private static boolean fits(Level root, String[] parts) {
        Level level = root;
        for (int k = 0; k < parts.length; k++) {
            String p = parts[k];
            if (p.isEmpty()) {
                return false;
            }
            if (k == parts.length - 1) {
                return !level.taken(p);
            }
            if (level.leaves.contains(p)) {
                return false;
            }
            level = level.groups.get(p);
            if (level == null) {
                // The rest of the path is new: every remaining part only needs to be non-empty.
                for (int j = k + 1; j < parts.length; j++) {
                    if (parts[j].isEmpty()) {
                        return false;
                    }
                }
                return true;
            }
        }
        return true;
    }
}
