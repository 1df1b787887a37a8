package dev.deneb.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Einstein summation (torch.einsum, numpy.einsum) and the outer product, lowered to recorded ops so they are
 * differentiable with no rule of their own: a letter repeated within one operand takes a diagonal, a letter no one
 * needs any more is summed out at once, and the operands are then contracted pairwise from left to right, each pair
 * as one batched matmul after a permute and a reshape (or a broadcast product when nothing is contracted).
 *
 * <p>Labels are letters {@code A-Z} and {@code a-z} (numbered 0..51, so upper case sorts first, as in NumPy and
 * PyTorch); the axes an ellipsis {@code ...} covers get the labels 52 and up, right-aligned across operands.
 */
final class Einsum {
    private Einsum() {}

    private static final int LETTERS = 52;
    private static final int ELLIPSIS = -1;

    /** The outer product of two 1-D tensors: {@code out[i][j] = a[i] * b[j]} (types promote as in mul). */
    static Tensor outer(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("outer: expected two 1-D tensors, got shapes " + Shapes.str(a.shape())
                    + " and " + Shapes.str(b.shape()));
        }
        Shapes.sameBackend("outer", a, b);
        return a.unsqueeze(1).mul(b.unsqueeze(0));
    }

    /** One operand on its way through the contraction: its tensor and the label of each of its axes. */
    private record Term(Tensor t, int[] labels) {}

    static Tensor einsum(String subscripts, Tensor... operands) {
        if (subscripts == null) {
            throw new IllegalArgumentException("einsum: subscripts must not be null");
        }
        if (operands == null || operands.length == 0) {
            throw new IllegalArgumentException("einsum: expected at least one operand for subscripts \"" + subscripts
                    + "\"");
        }
        for (int i = 0; i < operands.length; i++) {
            if (operands[i] == null) {
                throw new IllegalArgumentException("einsum: operand " + i + " is null (subscripts \"" + subscripts
                        + "\")");
            }
        }
        Parsed p = parse(subscripts, operands);
        DType dtype = operands[0].dtype();
        for (Tensor t : operands) {
            Shapes.sameBackend("einsum", operands[0], t);
            dtype = DType.promote(dtype, t.dtype());
        }
        if (dtype == DType.BOOL) {
            throw p.error("bool operands are not supported; convert them with to(DType.I64) or to a float type");
        }

        // Diagonals for repeated letters, and size-1 axes broadcast to their letter's size.
        Term[] terms = new Term[operands.length];
        for (int i = 0; i < terms.length; i++) {
            terms[i] = prepare(operands[i].to(dtype), p.labels[i], p.sizes);
        }
        boolean[] inOutput = new boolean[p.sizes.length];
        for (int l : p.output) {
            inOutput[l] = true;
        }

        Term acc = sumOut(terms[0], needed(inOutput, terms, 1), dtype);
        for (int i = 1; i < terms.length; i++) {
            boolean[] later = needed(inOutput, terms, i + 1);
            Term b = sumOut(terms[i], union(later, acc.labels), dtype);
            acc = sumOut(acc, union(later, b.labels), dtype);
            acc = contract(acc, b, later, p.sizes, dtype);
        }
        acc = sumOut(acc, inOutput, dtype);

        int[] order = new int[p.output.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = indexOf(acc.labels, p.output[k]);
        }
        return isIdentity(order) ? acc.t : acc.t.permute(order);
    }

    // =========================================================================================================
    // Parsing and validation
    // =========================================================================================================

    /** Each operand's axis labels, each label's size, and the output labels in order. */
    private record Parsed(String subscripts, Tensor[] operands, int[][] labels, int[] sizes, int[] output) {
        IllegalArgumentException error(String what) {
            return Einsum.error(subscripts, operands, what);
        }
    }

    private static IllegalArgumentException error(String subscripts, Tensor[] operands, String what) {
        String shapes = Arrays.stream(operands).map(t -> Shapes.str(t.shape())).collect(Collectors.joining(", "));
        return new IllegalArgumentException("einsum: " + what + " (subscripts \"" + subscripts + "\", operand shapes "
                + shapes + ")");
    }

    private static Parsed parse(String subscripts, Tensor[] operands) {
        StringBuilder sb = new StringBuilder();
        for (char c : subscripts.toCharArray()) {
            if (!Character.isWhitespace(c)) {
                sb.append(c);
            }
        }
        String eq = sb.toString();
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        String rhs = arrow < 0 ? null : eq.substring(arrow + 2);
        if (rhs != null && rhs.contains("->")) {
            throw error(subscripts, operands, "more than one '->'");
        }
        String[] termStrings = lhs.split(",", -1);
        if (termStrings.length != operands.length) {
            throw error(subscripts, operands, termStrings.length + " operand term"
                    + (termStrings.length == 1 ? "" : "s") + " for " + operands.length + " operand"
                    + (operands.length == 1 ? "" : "s"));
        }
        int n = operands.length;
        int[][] raw = new int[n][];
        int[] covered = new int[n];
        int ellRank = 0;
        for (int i = 0; i < n; i++) {
            raw[i] = parseTerm(subscripts, operands, termStrings[i], "operand " + i);
            int letters = 0;
            boolean ell = false;
            for (int l : raw[i]) {
                if (l == ELLIPSIS) {
                    ell = true;
                } else {
                    letters++;
                }
            }
            int rank = operands[i].dim();
            if (ell ? letters > rank : letters != rank) {
                throw error(subscripts, operands, "operand " + i + " has " + letters + " letter"
                        + (letters == 1 ? "" : "s") + (ell ? " besides '...'" : "") + " (\"" + termStrings[i]
                        + "\") but rank " + rank + (ell ? "" : "; use '...' to cover further axes"));
            }
            covered[i] = ell ? rank - letters : 0;
            ellRank = Math.max(ellRank, covered[i]);
        }

        // Label every axis; ellipsis axes are right-aligned, so the last covered axis always gets label
        // LETTERS + ellRank - 1.
        int[][] labels = new int[n][];
        int[] sizes = new int[LETTERS + ellRank];
        Arrays.fill(sizes, -1);
        int[] counts = new int[LETTERS + ellRank];
        for (int i = 0; i < n; i++) {
            int[] shape = operands[i].shape();
            labels[i] = new int[shape.length];
            int d = 0;
            for (int l : raw[i]) {
                if (l == ELLIPSIS) {
                    for (int k = 0; k < covered[i]; k++) {
                        labels[i][d++] = LETTERS + ellRank - covered[i] + k;
                    }
                } else {
                    labels[i][d++] = l;
                }
            }
            for (d = 0; d < shape.length; d++) {
                int l = labels[i][d];
                int s = shape[d];
                int first = indexOf(labels[i], l);
                if (first < d && shape[first] != s) {
                    throw error(subscripts, operands, "letter '" + name(l) + "' is repeated in operand " + i
                            + " (\"" + termStrings[i] + "\") for axes of sizes " + shape[first] + " and " + s
                            + ", which must be equal to take their diagonal");
                }
                counts[l]++;
                if (sizes[l] == -1 || sizes[l] == 1) {
                    sizes[l] = s;
                } else if (s != 1 && s != sizes[l]) {
                    throw error(subscripts, operands, (l < LETTERS ? "letter '" + name(l) + "'" : "an axis under '...'")
                            + " has inconsistent sizes " + sizes[l] + " and " + s + " (operand " + i
                            + "); sizes must be equal, or 1 to broadcast");
                }
            }
        }

        int[] output;
        if (rhs == null) {
            // Implicit: the ellipsis axes, then the letters that appear exactly once, in alphabetical order.
            List<Integer> out = new ArrayList<>();
            for (int k = 0; k < ellRank; k++) {
                out.add(LETTERS + k);
            }
            for (int l = 0; l < LETTERS; l++) {
                if (counts[l] == 1) {
                    out.add(l);
                }
            }
            output = out.stream().mapToInt(Integer::intValue).toArray();
        } else {
            int[] rawOut = parseTerm(subscripts, operands, rhs, "the output");
            List<Integer> out = new ArrayList<>();
            boolean[] seen = new boolean[LETTERS];
            for (int l : rawOut) {
                if (l == ELLIPSIS) {
                    for (int k = 0; k < ellRank; k++) {
                        out.add(LETTERS + k);
                    }
                    continue;
                }
                if (seen[l]) {
                    throw error(subscripts, operands, "letter '" + name(l) + "' appears more than once in the output \""
                            + rhs + "\"");
                }
                seen[l] = true;
                if (counts[l] == 0) {
                    throw error(subscripts, operands, "output letter '" + name(l)
                            + "' does not appear in any operand");
                }
                out.add(l);
            }
            output = out.stream().mapToInt(Integer::intValue).toArray();
        }
        return new Parsed(subscripts, operands, labels, sizes, output);
    }

    /** The labels of one term, with {@link #ELLIPSIS} where {@code ...} stands. */
    private static int[] parseTerm(String subscripts, Tensor[] operands, String term, String what) {
        List<Integer> ids = new ArrayList<>();
        boolean ell = false;
        for (int i = 0; i < term.length(); ) {
            char c = term.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                ids.add(c - 'A');
                i++;
            } else if (c >= 'a' && c <= 'z') {
                ids.add(26 + c - 'a');
                i++;
            } else if (c == '.') {
                if (!term.startsWith("...", i)) {
                    throw error(subscripts, operands, "'.' must be part of an ellipsis '...' in " + what + " (\""
                            + term + "\")");
                }
                if (ell) {
                    throw error(subscripts, operands, "more than one '...' in " + what + " (\"" + term + "\")");
                }
                ell = true;
                ids.add(ELLIPSIS);
                i += 3;
            } else {
                throw error(subscripts, operands, "bad character '" + c + "' in " + what + " (\"" + term
                        + "\"); expected letters a-z, A-Z, '...', ',' and one '->'");
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static char name(int label) {
        return (char) (label < 26 ? 'A' + label : 'a' + label - 26);
    }

    // =========================================================================================================
    // Lowering
    // =========================================================================================================

    /** Diagonals for letters repeated within the operand, then size-1 axes expanded to their letter's size. */
    private static Term prepare(Tensor t, int[] labels, int[] sizes) {
        int[] lab = labels;
        boolean found = true;
        while (found) {
            found = false;
            for (int p = 0; p < lab.length && !found; p++) {
                for (int q = p + 1; q < lab.length && !found; q++) {
                    if (lab[p] == lab[q]) {
                        // diagonal removes axes p and q and appends their diagonal as the last axis.
                        t = t.diagonal(0, p, q);
                        int[] next = new int[lab.length - 1];
                        for (int d = 0, j = 0; d < lab.length; d++) {
                            if (d != p && d != q) {
                                next[j++] = lab[d];
                            }
                        }
                        next[next.length - 1] = lab[p];
                        lab = next;
                        found = true;
                    }
                }
            }
        }
        int[] target = new int[lab.length];
        for (int d = 0; d < lab.length; d++) {
            target[d] = sizes[lab[d]];
        }
        return new Term(t.expand(target), lab);
    }

    /** The term with every axis whose label is not in {@code keep} summed out. */
    private static Term sumOut(Term term, boolean[] keep, DType dtype) {
        int drop = 0;
        for (int l : term.labels) {
            drop += keep[l] ? 0 : 1;
        }
        if (drop == 0) {
            return term;
        }
        int[] axes = new int[drop];
        int[] kept = new int[term.labels.length - drop];
        for (int d = 0, a = 0, k = 0; d < term.labels.length; d++) {
            if (keep[term.labels[d]]) {
                kept[k++] = term.labels[d];
            } else {
                axes[a++] = d;
            }
        }
        // Integer sums come back as i64: keep the operands' common type.
        return new Term(term.t.sum(axes, false).to(dtype), kept);
    }

    /**
     * The product of two terms summed over the letters they share that no one needs later; the result's axes are
     * the shared letters that are kept (batch), then A's own, then B's own.
     */
    private static Term contract(Term a, Term b, boolean[] later, int[] sizes, DType dtype) {
        List<Integer> batch = new ArrayList<>();
        List<Integer> summed = new ArrayList<>();
        List<Integer> aOnly = new ArrayList<>();
        List<Integer> bOnly = new ArrayList<>();
        for (int l : a.labels) {
            if (indexOf(b.labels, l) >= 0) {
                (later[l] ? batch : summed).add(l);
            } else {
                aOnly.add(l);
            }
        }
        for (int l : b.labels) {
            if (indexOf(a.labels, l) < 0) {
                bOnly.add(l);
            }
        }
        int nb = size(batch, sizes);
        int m = size(aOnly, sizes);
        int n = size(bOnly, sizes);
        int k = size(summed, sizes);
        Shapes.numel("einsum", new int[] {nb, m, n});
        Tensor r;
        if (!summed.isEmpty() && dtype.isFloating()) {
            Tensor x = arrange(a, batch, aOnly, summed).reshape(nb, m, k);
            Tensor y = arrange(b, batch, summed, bOnly).reshape(nb, k, n);
            r = x.matmul(y);
        } else {
            // Nothing to contract (an outer or elementwise product), or integers, which matmul does not take.
            Tensor x = arrange(a, batch, aOnly, summed).reshape(nb, m, 1, k);
            Tensor y = arrange(b, batch, bOnly, summed).reshape(nb, 1, n, k);
            r = x.mul(y);
            r = summed.isEmpty() ? r : r.sum(new int[] {3}, false).to(dtype);
        }
        List<Integer> labels = new ArrayList<>(batch);
        labels.addAll(aOnly);
        labels.addAll(bOnly);
        int[] lab = labels.stream().mapToInt(Integer::intValue).toArray();
        int[] shape = new int[lab.length];
        for (int d = 0; d < lab.length; d++) {
            shape[d] = sizes[lab[d]];
        }
        return new Term(r.reshape(shape), lab);
    }

    /** The term's tensor with its axes permuted into the order of the given label groups. */
    private static Tensor arrange(Term term, List<Integer> g1, List<Integer> g2, List<Integer> g3) {
        int[] order = new int[term.labels.length];
        int j = 0;
        for (List<Integer> g : List.of(g1, g2, g3)) {
            for (int l : g) {
                order[j++] = indexOf(term.labels, l);
            }
        }
        return isIdentity(order) ? term.t : term.t.permute(order);
    }

    /** Labels in the output or in any term from {@code from} on. */
    private static boolean[] needed(boolean[] inOutput, Term[] terms, int from) {
        boolean[] r = inOutput.clone();
        for (int i = from; i < terms.length; i++) {
            for (int l : terms[i].labels) {
                r[l] = true;
            }
        }
        return r;
    }

    private static boolean[] union(boolean[] keep, int[] labels) {
        boolean[] r = keep.clone();
        for (int l : labels) {
            r[l] = true;
        }
        return r;
    }

    /** The product of the labels' sizes (a group of axes merged into one by reshape). */
    private static int size(List<Integer> labels, int[] sizes) {
        long n = 1;
        for (int l : labels) {
            n *= sizes[l];
            if (n > Integer.MAX_VALUE - 8) {
                // Only reachable with an empty operand whose other axes are huge.
                throw new IllegalArgumentException("einsum: axes of sizes " + labels.stream().map(x -> sizes[x])
                        .toList() + " hold more than " + (Integer.MAX_VALUE - 8) + " elements together");
            }
        }
        return (int) n;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isIdentity(int[] order) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] != i) {
                return false;
            }
        }
        return true;
    }
}
