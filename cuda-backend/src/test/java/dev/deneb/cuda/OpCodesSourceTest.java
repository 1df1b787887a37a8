package dev.deneb.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.BinaryOp;
import dev.deneb.tensor.ReduceOp;
import dev.deneb.tensor.UnaryOp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The op-code switches of the CUDA sources against {@link OpCodes}, without a GPU or nvcc: every {@code switch (op)}
 * in {@code src/main/cuda} is parsed, each of its cases must name its enum constant in a C comment right after the
 * label ({@code case 5:} then the comment {@code EXP}), and the (name, code) pairs must be exactly those
 * {@link OpCodes} gives for the constants that switch handles;
 * a table's {@code default} must stop the kernel ({@code DENEB_UNKNOWN_OP()}) rather than return a value. A new
 * enum constant therefore fails here until the kernels implement it (and then {@code PtxResourcesTest} fails until
 * the PTX is rebuilt).
 */
class OpCodesSourceTest {
    static final Path SOURCES = Path.of("src/main/cuda");

    /** Which constants a switch must handle, and the code of each. */
    record Table(String file, String function, Map<String, Integer> expected, boolean complete) {
        /** A complete table: exactly these constants, and a trapping default. */
        static <E extends Enum<E>> Table of(String file, String function, E[] values, Predicate<E> handles,
                                            ToIntFunction<E> code) {
            return new Table(file, function, codes(values, handles, code), true);
        }
    }

    static <E extends Enum<E>> Map<String, Integer> codes(E[] values, Predicate<E> handles, ToIntFunction<E> code) {
        Map<String, Integer> m = new TreeMap<>();
        for (E e : values) {
            if (handles.test(e)) {
                m.put(e.name(), code.applyAsInt(e));
            }
        }
        return m;
    }

    /** True when the reference defines the op on integers (DIV does not: integers are divided as floats). */
    static boolean hasIntegerForm(BinaryOp op) {
        try {
            op.applyLong(7, 3);
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /** Every switch over an op code in the CUDA sources. A new one must be added here. */
    static List<Table> tables() {
        UnaryOp[] u = UnaryOp.values();
        BinaryOp[] b = BinaryOp.values();
        ReduceOp[] r = ReduceOp.values();
        List<Table> t = new ArrayList<>();
        t.add(Table.of("elementwise.cu", "unaryD", u, op -> true, OpCodes::unary));
        t.add(Table.of("elementwise.cu", "unaryL", u, UnaryOp::acceptsIntegers, OpCodes::unary));
        t.add(Table.of("elementwise.cu", "binaryD", b, op -> !op.isComparison(), OpCodes::binary));
        t.add(Table.of("elementwise.cu", "binaryL", b, op -> !op.isComparison() && hasIntegerForm(op),
                OpCodes::binary));
        // binaryF is a shortcut for four ops; its default hands every other code to binaryD.
        t.add(new Table("elementwise.cu", "binaryF", codes(b, op -> op == BinaryOp.ADD || op == BinaryOp.SUB
                || op == BinaryOp.MUL || op == BinaryOp.DIV, OpCodes::binary), false));
        t.add(Table.of("elementwise.cu", "compare", b, BinaryOp::isComparison, OpCodes::binary));
        for (String f : new String[] {"combineD", "combineL", "identityD", "identityL"}) {
            t.add(Table.of("reduce.cu", f, r, op -> true, OpCodes::reduce));
        }
        return t;
    }

    // =========================================================================================================
    // Parsing
    // =========================================================================================================

    /** One {@code switch (op)}: the function it is in, its labelled cases, and what its default does. */
    record Switch(String file, String function, List<Case> cases, String defaultBody) {}

    /** {@code name} is null when the case does not name its constant. */
    record Case(int code, String name) {}

    private static final Pattern SWITCH = Pattern.compile("switch\\s*\\(\\s*op\\s*\\)\\s*\\{");
    private static final Pattern FUNCTION = Pattern.compile("\\b(\\w+)\\s*\\(\\s*int\\s+op\\b");
    private static final Pattern CASE = Pattern.compile("\\bcase\\s+(\\d+)\\s*:\\s*(?:/\\*\\s*([A-Za-z0-9_]+)\\s*\\*/)?");
    private static final Pattern DEFAULT = Pattern.compile("\\bdefault\\s*:([^;]*;)");

    static List<Switch> parse(String file, String text) {
        String code = text.replaceAll("//[^\n]*", "");
        List<Switch> out = new ArrayList<>();
        Matcher s = SWITCH.matcher(code);
        while (s.find()) {
            String function = null;
            Matcher f = FUNCTION.matcher(code.substring(0, s.start()));
            while (f.find()) {
                function = f.group(1);
            }
            String body = code.substring(s.end(), closingBrace(code, s.end()));
            List<Case> cases = new ArrayList<>();
            Matcher c = CASE.matcher(body);
            while (c.find()) {
                cases.add(new Case(Integer.parseInt(c.group(1)), c.group(2)));
            }
            Matcher d = DEFAULT.matcher(body);
            out.add(new Switch(file, function, cases, d.find() ? d.group(1).strip() : null));
        }
        return out;
    }

    private static int closingBrace(String s, int from) {
        int depth = 1;
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == '{') {
                depth++;
            } else if (s.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced braces after offset " + from);
    }

    /** Everything wrong with the switches against the tables (empty when they agree). */
    static List<String> problems(List<Switch> switches, List<Table> tables) {
        List<String> p = new ArrayList<>();
        Map<String, Table> byKey = new LinkedHashMap<>();
        tables.forEach(t -> byKey.put(t.file() + ":" + t.function(), t));
        Map<String, Switch> seen = new LinkedHashMap<>();
        for (Switch sw : switches) {
            String key = sw.file() + ":" + sw.function();
            Table t = byKey.get(key);
            if (t == null) {
                p.add(key + ": a switch over op codes that OpCodesSourceTest.tables() does not list");
                continue;
            }
            if (seen.put(key, sw) != null) {
                p.add(key + ": more than one switch (op) in one function");
            }
            Map<String, Integer> found = new TreeMap<>();
            for (Case c : sw.cases()) {
                if (c.name() == null) {
                    p.add(key + ": case " + c.code() + " does not name its constant (write case " + c.code()
                            + ": /* NAME */)");
                } else if (found.put(c.name(), c.code()) != null) {
                    p.add(key + ": " + c.name() + " has two cases");
                }
            }
            for (Map.Entry<String, Integer> e : t.expected().entrySet()) {
                Integer got = found.get(e.getKey());
                if (got == null) {
                    p.add(key + ": no case for " + e.getKey() + " (code " + e.getValue() + " in OpCodes)");
                } else if (!got.equals(e.getValue())) {
                    p.add(key + ": " + e.getKey() + " is case " + got + ", but OpCodes gives " + e.getValue());
                }
            }
            for (Map.Entry<String, Integer> e : found.entrySet()) {
                if (!t.expected().containsKey(e.getKey())) {
                    p.add(key + ": case " + e.getValue() + " names " + e.getKey()
                            + ", which is not a constant this switch handles");
                }
            }
            if (t.complete() && (sw.defaultBody() == null || !sw.defaultBody().startsWith("DENEB_UNKNOWN_OP()"))) {
                p.add(key + ": the default must be DENEB_UNKNOWN_OP(), got " + sw.defaultBody());
            }
            if (!t.complete() && sw.defaultBody() == null) {
                p.add(key + ": a partial switch needs a default that hands other codes on");
            }
        }
        for (String key : byKey.keySet()) {
            if (!seen.containsKey(key)) {
                p.add(key + ": listed in OpCodesSourceTest.tables() but no switch (op) found there");
            }
        }
        return p;
    }

    static List<Switch> parseSources() throws IOException {
        List<Switch> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".cu") || x.toString().endsWith(".cuh"))
                    .sorted().toList()) {
                all.addAll(parse(f.getFileName().toString(), Files.readString(f)));
            }
        }
        return all;
    }

    // =========================================================================================================
    // Tests
    // =========================================================================================================

    @Test
    void cudaSwitchesMatchOpCodesForEveryConstant() throws IOException {
        List<Switch> switches = parseSources();
        assertTrue(switches.size() >= tables().size(), "found only " + switches.size() + " switches in " + SOURCES
                .toAbsolutePath());
        List<String> p = problems(switches, tables());
        assertTrue(p.isEmpty(), "the CUDA op switches disagree with OpCodes:\n  " + String.join("\n  ", p));
    }

    /** The checker itself: a missing constant, a wrong code, an unnamed case, a stray name, a value-returning
     *  default and an unlisted switch are each reported. */
    @Test
    void checkerReportsEveryKindOfMismatch() {
        String cu = """
                __device__ double unaryD(int op, double x) {
                    switch (op) {
                        case 0: /* NEG */ return -x;
                        case 2: /* ABS */ return fabs(x);   // wrong code
                        case 7: return 1.0;                  // unnamed
                        case 99: /* BOGUS */ return 0;
                        default: return 0.0;
                    }
                }
                __device__ double other(int op) {
                    switch (op) { default: DENEB_UNKNOWN_OP(); }
                }
                """;
        List<Table> tables = List.of(new Table("t.cu", "unaryD", Map.of("NEG", 0, "ABS", 1, "EXP", 5), true));
        List<String> p = problems(parse("t.cu", cu), tables);
        String all = String.join("\n", p);
        assertTrue(all.contains("ABS is case 2, but OpCodes gives 1"), all);
        assertTrue(all.contains("case 7 does not name its constant"), all);
        assertTrue(all.contains("no case for EXP"), all);
        assertTrue(all.contains("names BOGUS"), all);
        assertTrue(all.contains("default must be DENEB_UNKNOWN_OP()"), all);
        assertTrue(all.contains("t.cu:other: a switch over op codes that OpCodesSourceTest.tables() does not list"),
                all);
        assertEquals(6, p.size(), all);
    }

    @Test
    void parserFindsTheFunctionNamesOfTemplatesAndOverloads() {
        List<Switch> s = parse("x.cu", """
                template <typename T> __device__ __forceinline__ b8 compare(int op, T a, T b) {
                    switch (op) {
                        case 64: /* EQ */ return a == b;
                        default: DENEB_UNKNOWN_OP();
                    }
                }
                """);
        assertEquals(1, s.size());
        assertEquals("compare", s.get(0).function());
        assertEquals(List.of(new Case(64, "EQ")), s.get(0).cases());
        assertEquals(Arrays.asList("DENEB_UNKNOWN_OP();"), List.of(s.get(0).defaultBody()));
    }
}
