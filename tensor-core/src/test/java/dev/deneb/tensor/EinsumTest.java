package dev.deneb.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.deneb.tensor.testing.Cases;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * einsum against a naive loop over every assignment of the labels (written here, independently of the lowering to
 * diagonal, sum and matmul), on random seeded equations: 1 to 3 operands, repeated letters, summed letters, implicit
 * and explicit outputs, ellipses, size-1 broadcasting, empty axes, mixed dtypes and non-contiguous operands, on both
 * CPU backends; plus fixed examples and the messages for bad subscripts.
 */
class EinsumTest {
    static Stream<Arguments> seedsAndBackends() {
        return IntStream.range(0, 150).boxed().flatMap(i -> Stream.of(
                Arguments.of(9000L + i, Backends.reference()), Arguments.of(9000L + i, Backends.cpu())));
    }

    // =========================================================================================================
    // A random equation, with each operand's labels spelled out (ellipsis axes get the labels '0', '1')
    // =========================================================================================================

    record Equation(String subscripts, List<char[]> labels, List<int[]> shapes, char[] output,
                    Map<Character, Integer> sizes) {}

    static Equation randomEquation(Random r) {
        int nOps = 1 + r.nextInt(3);
        Map<Character, Integer> sizes = new HashMap<>();
        for (char c = 'a'; c <= 'e'; c++) {
            sizes.put(c, r.nextInt(20) == 0 ? 0 : r.nextInt(6) == 0 ? 1 : 2 + r.nextInt(3));
        }
        // ellipsis axes are right-aligned: an operand covering c of them gets the last c of '0', '1'
        int ellRank = r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0;
        char[] ell = {'0', '1'};
        for (int k = 0; k < ellRank; k++) {
            sizes.put(ell[k], 2 + r.nextInt(2));
        }
        List<char[]> labels = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        List<String> terms = new ArrayList<>();
        Map<Character, Integer> count = new HashMap<>();
        int maxCovered = 0;
        for (int i = 0; i < nOps; i++) {
            int nLetters = r.nextInt(4);
            List<Character> letters = new ArrayList<>();
            for (int j = 0; j < nLetters; j++) {
                letters.add((char) ('a' + r.nextInt(5)));
            }
            StringBuilder term = new StringBuilder();
            List<Character> lab = new ArrayList<>();
            int ellAt = ellRank > 0 && r.nextBoolean() ? r.nextInt(nLetters + 1) : -1;
            for (int j = 0; j <= nLetters; j++) {
                if (j == ellAt) {
                    term.append("...");
                    int covered = r.nextInt(ellRank + 1);
                    maxCovered = Math.max(maxCovered, covered);
                    for (int k = ellRank - covered; k < ellRank; k++) {
                        lab.add(ell[k]);
                    }
                }
                if (j < nLetters) {
                    term.append(letters.get(j));
                    lab.add(letters.get(j));
                    count.merge(letters.get(j), 1, Integer::sum);
                }
            }
            char[] l = new char[lab.size()];
            int[] shape = new int[lab.size()];
            for (int d = 0; d < l.length; d++) {
                l[d] = lab.get(d);
                // a letter that occurs once in this operand may be broadcast (size 1)
                boolean once = Collections.frequency(lab, l[d]) == 1;
                shape[d] = once && r.nextInt(6) == 0 ? 1 : sizes.get(l[d]);
            }
            labels.add(l);
            shapes.add(shape);
            terms.add(term.toString());
        }
        String lhs = String.join(r.nextInt(4) == 0 ? ", " : ",", terms);
        List<Character> out = new ArrayList<>();
        String subscripts;
        if (r.nextInt(3) == 0) {
            // implicit: the ellipsis axes, then the letters that occur once, sorted
            for (int k = ellRank - maxCovered; k < ellRank; k++) {
                out.add(ell[k]);
            }
            new TreeSet<>(count.keySet()).stream().filter(c -> count.get(c) == 1).forEach(out::add);
            subscripts = lhs;
        } else {
            List<Character> used = new ArrayList<>(new TreeSet<>(count.keySet()));
            Collections.shuffle(used, r);
            List<Character> chosen = new ArrayList<>(used.subList(0, r.nextInt(used.size() + 1)));
            StringBuilder rhs = new StringBuilder();
            int ellAt = ellRank > 0 && r.nextInt(3) > 0 ? r.nextInt(chosen.size() + 1) : -1;
            for (int j = 0; j <= chosen.size(); j++) {
                if (j == ellAt) {
                    rhs.append("...");
                    for (int k = ellRank - maxCovered; k < ellRank; k++) {
                        out.add(ell[k]);
                    }
                }
                if (j < chosen.size()) {
                    rhs.append(chosen.get(j));
                    out.add(chosen.get(j));
                }
            }
            subscripts = lhs + (r.nextBoolean() ? "->" : " -> ") + rhs;
        }
        char[] o = new char[out.size()];
        for (int k = 0; k < o.length; k++) {
            o[k] = out.get(k);
        }
        return new Equation(subscripts, labels, shapes, o, sizes);
    }

    /** The sum over every assignment of the labels of the product of the operands' elements (size-1 axes
     *  broadcast), in double precision. */
    static double[] naive(Equation eq, List<double[]> values, int[] outShape) {
        List<Character> all = new ArrayList<>();
        Map<Character, Integer> size = new HashMap<>();
        for (int i = 0; i < eq.labels().size(); i++) {
            char[] l = eq.labels().get(i);
            for (int d = 0; d < l.length; d++) {
                if (!all.contains(l[d])) {
                    all.add(l[d]);
                }
                int s = eq.shapes().get(i)[d];
                size.merge(l[d], s, (x, y) -> x == 1 ? y : x);
            }
        }
        int[] ranges = new int[all.size()];
        for (int k = 0; k < ranges.length; k++) {
            ranges[k] = size.get(all.get(k));
        }
        for (int k = 0; k < outShape.length; k++) {
            outShape[k] = size.get(eq.output()[k]);
        }
        double[] out = new double[Cases.numel(outShape)];
        int total = Cases.numel(ranges);
        for (int flat = 0; flat < total; flat++) {
            int[] assign = Cases.unravel(flat, ranges);
            double p = 1;
            for (int i = 0; i < eq.labels().size(); i++) {
                char[] l = eq.labels().get(i);
                int[] shape = eq.shapes().get(i);
                int pos = 0;
                for (int d = 0; d < l.length; d++) {
                    int v = shape[d] == 1 ? 0 : assign[all.indexOf(l[d])];
                    pos = pos * shape[d] + v;
                }
                p *= values.get(i)[pos];
            }
            int o = 0;
            for (int k = 0; k < outShape.length; k++) {
                o = o * outShape[k] + assign[all.indexOf(eq.output()[k])];
            }
            out[o] += p;
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("seedsAndBackends")
    void againstNaiveLoops(long seed, Backend backend) {
        Random r = new Random(seed);
        Equation eq = randomEquation(r);
        DType[] types = {DType.F64, DType.F32, DType.I64, DType.I32};
        DType first = types[r.nextInt(types.length)];
        List<Tensor> operands = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        DType result = null;
        StringBuilder layouts = new StringBuilder();
        for (int[] shape : eq.shapes()) {
            DType dt = r.nextInt(4) == 0 ? types[r.nextInt(types.length)] : first;
            result = result == null ? dt : DType.promote(result, dt);
            Cases.Layout layout = Cases.layout(r, shape);
            Tensor t = layout.apply(Cases.random(r, backend, dt, layout.baseShape()));
            operands.add(t);
            values.add(t.toDoubleArray());
            layouts.append(" ").append(Arrays.toString(shape)).append(' ').append(dt).append(" (").append(layout)
                    .append(")");
        }
        int[] outShape = new int[eq.output().length];
        double[] expected = naive(eq, values, outShape);
        String ctx = "einsum(\"" + eq.subscripts() + "\")" + layouts;
        Tensor y = Tensor.einsum(eq.subscripts(), operands.toArray(Tensor[]::new));
        Cases.assertOn(backend, y, ctx);
        Tensor e = Cases.fromDoubles(Backends.reference(), result, outShape, expected);
        double tol = result == DType.F32 ? 1e-4 : 1e-11;
        Cases.assertClose(e, y, tol, tol, ctx);
    }

    // =========================================================================================================
    // Fixed examples
    // =========================================================================================================

    static Tensor randomF64(long seed, int... shape) {
        return Cases.random(new Random(seed), Backends.current(), DType.F64, shape);
    }

    static void close(Tensor expected, Tensor actual, String what) {
        Cases.assertClose(expected, actual, 1e-12, 1e-12, what);
    }

    @Test
    void commonPatterns() {
        Tensor a = randomF64(1, 3, 4);
        Tensor b = randomF64(2, 4, 5);
        Tensor c = randomF64(3, 5, 2);
        Tensor sq = randomF64(4, 4, 4);
        Tensor v = randomF64(5, 4);
        Tensor w = randomF64(6, 3);
        Tensor ba = randomF64(7, 2, 3, 4);
        Tensor bb = randomF64(8, 2, 4, 5);
        close(a.matmul(b), Tensor.einsum("ij,jk->ik", a, b), "matmul");
        close(a.matmul(b), Tensor.einsum("ij,jk", a, b), "matmul implicit");
        close(a.matmul(b).t(), Tensor.einsum("ij,jk->ki", a, b), "matmul transposed output");
        close(a.matmul(b).matmul(c), Tensor.einsum("ij,jk,kl->il", a, b, c), "3-operand chain");
        close(ba.matmul(bb), Tensor.einsum("bij,bjk->bik", ba, bb), "batched matmul");
        close(ba.matmul(bb), Tensor.einsum("...ij,...jk->...ik", ba, bb), "batched matmul with ellipsis");
        close(ba.matmul(b), Tensor.einsum("...ij,jk", ba, b), "ellipsis broadcast against no batch");
        close(sq.diagonal().sum(), Tensor.einsum("ii", sq), "trace");
        close(sq.diagonal().sum(), Tensor.einsum("ii->", sq), "trace explicit");
        close(sq.diagonal(), Tensor.einsum("ii->i", sq), "diagonal");
        close(w.outer(v), Tensor.einsum("i,j->ij", w, v), "outer");
        close(w.outer(v), Tensor.einsum("i,j", w, v), "outer implicit");
        close(v.mul(v).sum(), Tensor.einsum("i,i", v, v), "dot");
        close(v.mul(v), Tensor.einsum("i,i->i", v, v), "hadamard");
        close(a.matmul(v), Tensor.einsum("ij,j->i", a, v), "matrix-vector");
        close(a.sum(1), Tensor.einsum("ij->i", a), "row sums");
        close(a.sum(), Tensor.einsum("ij->", a), "total");
        close(ba.permute(2, 0, 1), Tensor.einsum("abc->cab", ba), "permutation");
        close(ba.transpose(-1, -2), Tensor.einsum("...ij->...ji", ba), "ellipsis transpose");
        close(a.mul(a).sum(), Tensor.einsum("ab,ab", a, a), "full contraction");
        close(a.t().mul(a.t()).sum(), Tensor.einsum("ab,ba", a, a.t()), "full contraction, transposed");
        close(Tensor.scalar(2, DType.F64).mul(Tensor.scalar(3, DType.F64)),
                Tensor.einsum(",->", Tensor.scalar(2, DType.F64), Tensor.scalar(3, DType.F64)), "0-D operands");
        close(a.mul(Tensor.scalar(3, DType.F64)), Tensor.einsum("ij,->ij", a, Tensor.scalar(3, DType.F64)),
                "times a 0-D operand");
        close(sq.diagonal().mul(v).sum(), Tensor.einsum("ii,i", sq, v), "diagonal times vector, summed");
        // generalized diagonal of three axes
        Tensor cube = randomF64(9, 3, 3, 3);
        double[] cv = cube.toDoubleArray();
        close(Tensor.of(new double[] {cv[0], cv[13], cv[26]}), Tensor.einsum("iii->i", cube), "iii->i");
        // the ellipsis is summed when the explicit output leaves it out (as in PyTorch)
        close(ba.sum(new int[] {0, 1}, false), Tensor.einsum("...j->j", ba), "ellipsis summed");
    }

    @Test
    void upperCaseLettersSortBeforeLowerCase() {
        Tensor a = randomF64(11, 2, 3);
        Tensor b = randomF64(12, 3, 4);
        // implicit output of "Ba,aC" is "BC"; of "zA,AB" it is "Bz", as A..Z sort before a..z
        close(a.matmul(b), Tensor.einsum("Ba,aC", a, b), "BC");
        close(a.matmul(b).t(), Tensor.einsum("bA,Ac->cb", a, b), "explicit");
        close(a.matmul(b).t(), Tensor.einsum("zA,AB", a, b), "implicit: B before z");
    }

    @Test
    void sizeOneAxesBroadcast() {
        Tensor a = randomF64(13, 3, 1);
        Tensor b = randomF64(14, 4, 5);
        // j has size 1 in a and 4 in b: a[i,0] * sum_j b[j,k]
        close(a.mul(b.sum(new int[] {0}, true)), Tensor.einsum("ij,jk->ik", a, b), "broadcast summed letter");
        Tensor x = randomF64(15, 1, 3, 4);
        Tensor y = randomF64(16, 2, 4, 5);
        close(x.matmul(y), Tensor.einsum("...ij,...jk->...ik", x, y), "broadcast batch");
    }

    @Test
    void emptyAxes() {
        Tensor a = Tensor.zeros(DType.F64, 3, 0);
        Tensor b = Tensor.zeros(DType.F64, 0, 4);
        close(Tensor.zeros(DType.F64, 3, 4), Tensor.einsum("ij,jk->ik", a, b), "contraction over an empty axis");
        assertArrayEquals(new int[] {0, 3}, Tensor.einsum("ji->ij", a).shape());
        assertArrayEquals(new int[] {3, 0, 0, 4}, Tensor.einsum("ij,kl->ijkl", a, b).shape());
        close(Tensor.scalar(0, DType.F64), Tensor.einsum("ii", Tensor.zeros(DType.F64, 0, 0)), "empty trace");
    }

    @Test
    void integersStayIntegers() {
        Tensor a = Tensor.of(new int[] {1, 2, 3, 4}, 2, 2);
        Tensor y = Tensor.einsum("ij,jk->ik", a, a);
        assertEquals(DType.I32, y.dtype());
        assertArrayEquals(new int[] {7, 10, 15, 22}, y.toIntArray());
        assertEquals(DType.I32, Tensor.einsum("ii", a).dtype());
        assertEquals(5, Tensor.einsum("ii", a).item());
        Tensor mixed = Tensor.einsum("ij,jk->ik", a, a.to(DType.F64));
        assertEquals(DType.F64, mixed.dtype());
        assertArrayEquals(new double[] {7, 10, 15, 22}, mixed.toDoubleArray());
    }

    @Test
    void pureRearrangementsAreViewsAsInPyTorch() {
        Tensor a = randomF64(17, 3, 3);
        assertSame(a.storage(), Tensor.einsum("ij->ji", a).storage());
        assertSame(a.storage(), Tensor.einsum("ii->i", a).storage());
    }

    // =========================================================================================================
    // Bad input: every message names einsum, the subscripts and the shapes
    // =========================================================================================================

    @Test
    void badSubscripts() {
        Tensor m23 = Tensor.zeros(2, 3);
        Tensor m34 = Tensor.zeros(3, 4);
        Tensor m45 = Tensor.zeros(4, 5);
        Tensor v3 = Tensor.zeros(3);
        BadInputTest.bad(() -> Tensor.einsum("ij,jk", m23, v3), "einsum", "operand 1 has 2 letters", "\"jk\"",
                "rank 1", "\"ij,jk\"", "[2, 3], [3]");
        BadInputTest.bad(() -> Tensor.einsum("i", m23), "einsum", "operand 0 has 1 letter", "rank 2", "'...'");
        BadInputTest.bad(() -> Tensor.einsum("ijk...", m23), "einsum", "3 letters besides '...'", "rank 2");
        BadInputTest.bad(() -> Tensor.einsum("ij,jk->ik", m23, m45), "einsum", "letter 'j'", "inconsistent sizes 3 and 4",
                "\"ij,jk->ik\"", "[2, 3], [4, 5]");
        BadInputTest.bad(() -> Tensor.einsum("ij,jk->ik", Tensor.zeros(2, 2, 3), m34), "einsum", "operand 0",
                "rank 3");
        BadInputTest.bad(() -> Tensor.einsum("ij,jk->iz", m23, m34), "einsum", "output letter 'z'",
                "does not appear", "[2, 3], [3, 4]");
        BadInputTest.bad(() -> Tensor.einsum("ij,jk->ii", m23, m34), "einsum", "letter 'i'", "more than once",
                "output");
        BadInputTest.bad(() -> Tensor.einsum("i1,jk", m23, m34), "einsum", "bad character '1'", "operand 0",
                "\"i1,jk\"");
        BadInputTest.bad(() -> Tensor.einsum("ij-jk", m23), "einsum", "bad character '-'");
        BadInputTest.bad(() -> Tensor.einsum("ij,jk->i>k", m23, m34), "einsum", "bad character '>'", "output");
        BadInputTest.bad(() -> Tensor.einsum("i.j", m23), "einsum", "'.'", "ellipsis");
        BadInputTest.bad(() -> Tensor.einsum("......", m23), "einsum", "more than one '...'");
        BadInputTest.bad(() -> Tensor.einsum("ij->ij->ij", m23), "einsum", "more than one '->'");
        BadInputTest.bad(() -> Tensor.einsum("ij", m23, m34), "einsum", "1 operand term for 2 operands",
                "[2, 3], [3, 4]");
        BadInputTest.bad(() -> Tensor.einsum("ij,jk,k", m23, m34), "einsum", "3 operand terms for 2 operands");
        BadInputTest.bad(() -> Tensor.einsum("ii", m23), "einsum", "letter 'i' is repeated in operand 0",
                "sizes 2 and 3");
        BadInputTest.bad(() -> Tensor.einsum("...i,...i", Tensor.zeros(2, 3), Tensor.zeros(4, 3)), "einsum",
                "an axis under '...'", "2 and 4");
        BadInputTest.bad(() -> Tensor.einsum("i,i", Tensor.zeros(DType.BOOL, 2), Tensor.zeros(DType.BOOL, 2)),
                "einsum", "bool");
        BadInputTest.bad(() -> Tensor.einsum("i"), "einsum", "at least one operand");
        BadInputTest.bad(() -> Tensor.einsum(null, m23), "einsum", "null");
        BadInputTest.bad(() -> Tensor.einsum("ij,jk", m23, null), "einsum", "operand 1 is null");
        Tensor other = Tensor.zeros(3, 4).to(Backends.current() == Backends.reference() ? Backends.cpu()
                : Backends.reference());
        BadInputTest.bad(() -> Tensor.einsum("ij,jk", m23, other), "einsum", "backends");
        BadInputTest.bad(() -> Tensor.einsum("i,j,k->ijk", Tensor.zeros(2000), Tensor.zeros(2000), Tensor.zeros(2000)),
                "einsum", "more than");
    }
}
