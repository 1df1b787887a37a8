package dev.deneb.nn.io;

/**
 * The one rule for the strings of a safetensors header, applied alike when saving and when loading, so that every
 * file Deneb loads can be saved back and the reverse: tensor names are non-empty, not {@code __metadata__}, and
 * well-formed Unicode (no unpaired surrogate, which a {@code \}{@code u} escape can spell but UTF-8 cannot
 * encode); metadata keys and values are well-formed Unicode.
 */
final class Names {
    static final String METADATA_KEY = "__metadata__";

    private Names() {}

    /** Why {@code name} cannot name a tensor, or null when it can. */
    static String tensorNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "tensor names must be non-empty";
        }
        if (name.equals(METADATA_KEY)) {
            return "'" + METADATA_KEY + "' is reserved for the metadata and cannot name a tensor";
        }
        return textProblem(name);
    }

    /** Why {@code s} cannot be written as UTF-8, or null when it can. */
    static String textProblem(String s) {
        if (s == null) {
            return "null is not a string";
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("it holds an unpaired surrogate U+%04X at character %d, which UTF-8 cannot"
                        + " encode", (int) c, i);
            }
        }
        return null;
    }

    /** {@code s} for an error message: quoted, with control characters and surrogates escaped, cut at 200 chars. */
    static String show(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append(s.length() > 200 ? "'… (" + s.length() + " characters)" : "'").toString();
    }
}
