package dev.deneb.optim;

import dev.deneb.tensor.DType;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes and reads an optimizer's flat state dict ({@code group.0.lr}, {@code state.3.exp_avg}…). */
final class OptimizerStateDict {
    private OptimizerStateDict() {}

    static Map<String, Tensor> save(Optimizer opt) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        List<ParamGroup> groups = opt.paramGroups();
        int index = 0;
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            for (Map.Entry<String, Double> e : group.hyperParameters().entrySet()) {
                out.put("group." + g + "." + e.getKey(), Tensor.scalar(e.getValue(), DType.F64));
            }
            long[] ids = new long[group.params().size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = index++;
            }
            out.put("group." + g + ".params", Tensor.of(ids, ids.length));
        }
        List<Tensor> params = opt.params();
        for (int i = 0; i < params.size(); i++) {
            ParamState s = opt.state(params.get(i));
            if (s == null) {
                continue;
            }
            out.put("state." + i + ".step", Tensor.scalar(s.step(), DType.F64));
            for (Map.Entry<String, Tensor> e : s.buffers().entrySet()) {
                out.put("state." + i + "." + e.getKey(), e.getValue().copy());
            }
        }
        return out;
    }

    static void load(Optimizer opt, Map<String, Tensor> dict) {
        String name = opt.name() + ": loadStateDict";
        if (dict == null) {
            throw new IllegalArgumentException(name + ": the state dict is null");
        }
        List<ParamGroup> groups = opt.paramGroups();
        List<Tensor> params = opt.params();
        List<Map<String, Double>> hyper = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            hyper.add(new HashMap<>());
        }
        Map<Integer, ParamState> states = new HashMap<>();
        int[] groupSizes = new int[groups.size()];
        Arrays.fill(groupSizes, -1);
        for (Map.Entry<String, Tensor> e : dict.entrySet()) {
            String key = e.getKey();
            String[] parts = key.split("\\.", 3);
            if (parts.length != 3 || !(parts[0].equals("group") || parts[0].equals("state"))) {
                throw new IllegalArgumentException(name + ": unexpected key '" + key + "' (expected group.<g>.<name>"
                        + " or state.<i>.<name>)");
            }
            int idx = parseIndex(name, key, parts[1]);
            Tensor t = e.getValue();
            if (parts[0].equals("group")) {
                if (idx >= groups.size()) {
                    throw new IllegalArgumentException(name + ": the state dict has parameter group " + idx
                            + ", this optimizer has " + groups.size() + " group(s)");
                }
                if (parts[2].equals("params")) {
                    groupSizes[idx] = t.numel();
                } else if (!groups.get(idx).has(parts[2])) {
                    throw new IllegalArgumentException(name + ": unknown hyper-parameter '" + parts[2] + "' (key '"
                            + key + "'); known: " + groups.get(idx).hyperParameters().keySet());
                } else {
                    hyper.get(idx).put(parts[2], scalar(name, key, t));
                }
            } else {
                if (idx >= params.size()) {
                    throw new IllegalArgumentException(name + ": the state dict has state for parameter " + idx
                            + ", this optimizer has " + params.size() + " parameters");
                }
                ParamState s = states.computeIfAbsent(idx, k -> new ParamState());
                Tensor p = params.get(idx).detach();
                if (parts[2].equals("step")) {
                    s.setStep((long) scalar(name, key, t));
                } else if (!Arrays.equals(t.shape(), p.shape())) {
                    throw new IllegalArgumentException(name + ": '" + key + "' has shape "
                            + Arrays.toString(t.shape()) + " but parameter " + idx + " has shape "
                            + Arrays.toString(p.shape()));
                } else {
                    s.putBuffer(parts[2], t.to(p.backend()).to(p.dtype()).copy());
                }
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            if (groupSizes[g] < 0) {
                throw new IllegalArgumentException(name + ": the state dict has no parameter group " + g
                        + " (missing 'group." + g + ".params'); this optimizer has " + groups.size() + " group(s)");
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            int have = groups.get(g).params().size();
            if (groupSizes[g] != have) {
                throw new IllegalArgumentException(name + ": parameter group " + g + " has " + groupSizes[g]
                        + " parameters in the state dict but " + have + " in this optimizer");
            }
        }
        applyHyper(opt, hyper);
        Map<Tensor, ParamState> target = opt.stateMap();
        Map<Tensor, ParamState> fresh = new IdentityHashMap<>();
        states.forEach((i, s) -> fresh.put(params.get(i), s));
        target.clear();
        target.putAll(fresh);
    }

    /** Sets the loaded hyper-parameters, and puts the old ones back if the new ones do not validate. */
    private static void applyHyper(Optimizer opt, List<Map<String, Double>> hyper) {
        List<ParamGroup> groups = opt.paramGroups();
        List<Map<String, Double>> old = new ArrayList<>();
        for (ParamGroup g : groups) {
            old.add(new HashMap<>(g.hyperParameters()));
        }
        try {
            for (int g = 0; g < groups.size(); g++) {
                hyper.get(g).forEach(groups.get(g)::set);
                opt.validate(groups.get(g));
            }
        } catch (IllegalArgumentException e) {
            for (int g = 0; g < groups.size(); g++) {
                old.get(g).forEach(groups.get(g)::set);
            }
            throw new IllegalArgumentException(opt.name() + ": loadStateDict: " + e.getMessage(), e);
        }
    }

    private static int parseIndex(String name, String key, String s) {
        try {
            int i = Integer.parseInt(s);
            if (i >= 0) {
                return i;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new IllegalArgumentException(name + ": bad index '" + s + "' in key '" + key + "'");
    }

    private static double scalar(String name, String key, Tensor t) {
        if (t.numel() != 1) {
            throw new IllegalArgumentException(name + ": '" + key + "' should hold one value, got shape "
                    + Arrays.toString(t.shape()));
        }
        return t.item();
    }
}
