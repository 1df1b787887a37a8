package dev.deneb.cuda.ffm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a C header reader to check our FFM signatures: function prototypes (with {@code CUDAAPI},
 * {@code CUBLASAPI}, {@code CUBLASWINAPI} and similar macros ignored), {@code #define NAME TARGET} aliases
 * (including {@code __CUDA_API_PTDS(x)} / {@code __CUDA_API_PTSZ(x)}, which expand to {@code x} in the default
 * build), and typedefs, so that every parameter can be reduced to the kind of value the C ABI passes.
 */
final class CHeader {
    /** How a parameter is passed. */
    enum Kind { POINTER, INT8, INT16, INT32, INT64, FLOAT, DOUBLE }

    private static final Pattern DEFINE = Pattern.compile(
            "(?m)^\\s*#\\s*define\\s+(\\w+)\\s+(?:__CUDA_API_PT(?:DS|SZ)\\(\\s*(\\w+)\\s*\\)|(\\w+))\\s*$");
    private static final Pattern STRUCT_POINTER = Pattern.compile("typedef\\s+struct\\s+\\w+\\s*\\*\\s*(\\w+)\\s*;");
    private static final Pattern ENUM = Pattern.compile("typedef\\s+enum\\s*\\w*\\s*\\{[^}]*\\}\\s*(\\w+)\\s*;");
    private static final Pattern SIMPLE_TYPEDEF = Pattern.compile("typedef\\s+([\\w\\s]+?)\\s+(\\w+)\\s*;");
    private static final Pattern PROTOTYPE = Pattern.compile("(\\w+)\\s*\\(([^;{}()]*)\\)\\s*;");

    private final Map<String, String> aliases = new HashMap<>();
    private final Map<String, String> typedefs = new HashMap<>();
    private final Set<String> pointerTypes = new HashSet<>();
    private final Set<String> enumTypes = new HashSet<>();
    private final Map<String, List<String>> prototypes = new HashMap<>();

    static CHeader parse(String text) {
        CHeader h = new CHeader();
        String code = text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", "");
        Matcher d = DEFINE.matcher(code);
        while (d.find()) {
            String target = d.group(2) != null ? d.group(2) : d.group(3);
            h.aliases.putIfAbsent(d.group(1), target);
        }
        String noDirectives = code.replaceAll("(?m)^\\s*#.*$", "");
        Matcher sp = STRUCT_POINTER.matcher(noDirectives);
        while (sp.find()) {
            h.pointerTypes.add(sp.group(1));
        }
        Matcher en = ENUM.matcher(noDirectives);
        while (en.find()) {
            h.enumTypes.add(en.group(1));
        }
        Matcher td = SIMPLE_TYPEDEF.matcher(noDirectives);
        while (td.find()) {
            if (!td.group(1).contains("struct") && !td.group(1).contains("enum")) {
                h.typedefs.putIfAbsent(td.group(2), td.group(1).trim().replaceAll("\\s+", " "));
            }
        }
        Matcher p = PROTOTYPE.matcher(noDirectives);
        while (p.find()) {
            String symbol = h.aliases.getOrDefault(p.group(1), p.group(1));
            List<String> params = new ArrayList<>();
            String list = p.group(2).trim();
            if (!list.isEmpty() && !list.equals("void")) {
                for (String param : list.split(",")) {
                    params.add(param.trim().replaceAll("\\s+", " "));
                }
            }
            h.prototypes.putIfAbsent(symbol, params);   // the first declaration is the current API
        }
        return h;
    }

    boolean declares(String symbol) {
        return prototypes.containsKey(symbol);
    }

    /** The C declaration's parameters, e.g. {@code [CUdeviceptr *dptr, size_t bytesize]}. */
    List<String> parameters(String symbol) {
        return prototypes.get(symbol);
    }

    List<Kind> kinds(String symbol) {
        List<Kind> out = new ArrayList<>();
        for (String p : prototypes.get(symbol)) {
            out.add(kindOfParameter(p));
        }
        return out;
    }

    /** The integer value of an enumerator, from {@code NAME = value} in the header text. */
    static Integer enumValue(String text, String name) {
        Matcher m = Pattern.compile("\\b" + name + "\\s*=\\s*(0x[0-9a-fA-F]+|\\d+)").matcher(text);
        return m.find() ? Integer.decode(m.group(1)) : null;
    }

    Kind kindOfParameter(String param) {
        if (param.contains("*") || param.contains("[")) {
            return Kind.POINTER;
        }
        List<String> words = new ArrayList<>(List.of(param.replace("const ", "").trim().split(" ")));
        words.removeIf(w -> w.equals("const") || w.equals("volatile"));
        if (words.size() > 1 && !isTypeWord(words.get(words.size() - 1))) {
            words.remove(words.size() - 1);                 // the parameter's name
        }
        return kindOfType(String.join(" ", words));
    }

    private static boolean isTypeWord(String w) {
        return Set.of("int", "char", "short", "long", "unsigned", "signed", "float", "double").contains(w);
    }

    Kind kindOfType(String type) {
        for (int depth = 0; depth < 20; depth++) {
            switch (type) {
                case "char", "unsigned char", "signed char" -> { return Kind.INT8; }
                case "short", "unsigned short" -> { return Kind.INT16; }
                case "int", "unsigned int", "unsigned", "signed int", "uint32_t", "int32_t" -> { return Kind.INT32; }
                case "long long", "long long int", "unsigned long long", "unsigned long long int", "size_t",
                     "uint64_t", "int64_t", "long", "unsigned long" -> { return Kind.INT64; }
                case "float" -> { return Kind.FLOAT; }
                case "double" -> { return Kind.DOUBLE; }
                default -> { }
            }
            if (pointerTypes.contains(type)) {
                return Kind.POINTER;
            }
            if (enumTypes.contains(type)) {
                return Kind.INT32;
            }
            String next = typedefs.get(type);
            if (next == null) {
                throw new IllegalArgumentException("cannot resolve C type '" + type + "'");
            }
            if (next.contains("*")) {
                return Kind.POINTER;
            }
            type = next;
        }
        throw new IllegalArgumentException("typedef loop at " + type);
    }
}
