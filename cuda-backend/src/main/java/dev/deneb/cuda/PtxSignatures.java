package dev.deneb.cuda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameter sizes of every {@code .visible .entry} in a PTX text, e.g. {@code deneb_unary_f32 -> [4, 72, 8, 8,
 * 8]}. Launches are checked against them, so an argument list that does not match the kernel fails with a message
 * instead of corrupting memory.
 */
final class PtxSignatures {
    private static final Pattern ENTRY = Pattern.compile("\\.visible \\.entry (\\w+)\\(([^)]*)\\)");
    private static final Pattern SCALAR = Pattern.compile("\\.param \\.[usbf](8|16|32|64) \\w+");
    private static final Pattern ARRAY = Pattern.compile("\\.param (?:\\.align \\d+ )?\\.b8 \\w+\\[(\\d+)\\]");

    private PtxSignatures() {}

    static Map<String, List<Integer>> parse(String ptx) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        Matcher e = ENTRY.matcher(ptx);
        while (e.find()) {
            List<Integer> sizes = new ArrayList<>();
            for (String p : e.group(2).split(",")) {
                String param = p.trim();
                if (param.isEmpty()) {
                    continue;
                }
                Matcher s = SCALAR.matcher(param);
                Matcher a = ARRAY.matcher(param);
                if (s.matches()) {
                    sizes.add(Integer.parseInt(s.group(1)) / 8);
                } else if (a.matches()) {
                    sizes.add(Integer.parseInt(a.group(1)));
                } else {
                    throw new IllegalArgumentException("unrecognised PTX parameter '" + param + "' of " + e.group(1));
                }
            }
            out.put(e.group(1), sizes);
        }
        return out;
    }

    /** Throws when the argument sizes differ from the kernel's parameters. */
    static void check(String kernel, List<Integer> expected, List<Launch.Arg> args) {
        List<Integer> actual = new ArrayList<>();
        for (Launch.Arg a : args) {
            actual.add(a.size());
        }
        if (!actual.equals(expected)) {
            throw new IllegalStateException("launch of " + kernel + " with argument sizes " + actual
                    + " but its PTX parameters have sizes " + expected);
        }
    }
}
