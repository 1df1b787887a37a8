package dev.deneb.benchmarks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measured value, printed as the JSON line {@code benchmarks/peers/README.md} specifies. {@code extra} holds
 * optional fields (settings, versions) appended after the required ones.
 */
public record Result(String workload, String caseName, int threads, String metric, double value, boolean higherIsBetter,
                     Map<String, Object> extra) {

    public Result {
        extra = extra == null ? Map.of() : new LinkedHashMap<>(extra);
    }

    public String toJson() {
        StringBuilder s = new StringBuilder(160);
        s.append("{\"system\": \"deneb\", \"workload\": ").append(quote(workload))
                .append(", \"case\": ").append(quote(caseName))
                .append(", \"threads\": ").append(threads)
                .append(", \"metric\": ").append(quote(metric))
                .append(", \"value\": ").append(String.format(Locale.ROOT, "%.6g", value))
                .append(", \"better\": ").append(quote(higherIsBetter ? "higher" : "lower"));
        for (Map.Entry<String, Object> e : extra.entrySet()) {
            Object v = e.getValue();
            s.append(", ").append(quote(e.getKey())).append(": ")
                    .append(v instanceof Number || v instanceof Boolean ? v.toString() : quote(String.valueOf(v)));
        }
        return s.append('}').toString();
    }

    private static String quote(String x) {
        StringBuilder s = new StringBuilder(x.length() + 2).append('"');
        for (int i = 0; i < x.length(); i++) {
            char ch = x.charAt(i);
            switch (ch) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        s.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        s.append(ch);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
