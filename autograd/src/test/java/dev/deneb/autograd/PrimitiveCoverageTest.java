package dev.deneb.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Backend;
import dev.deneb.tensor.Backends;
import dev.deneb.tensor.ConvOptions;
import dev.deneb.tensor.CsrPattern;
import dev.deneb.tensor.DType;
import dev.deneb.tensor.Node;
import dev.deneb.tensor.PoolOptions;
import dev.deneb.tensor.Primitive;
import dev.deneb.tensor.RowNorm;
import dev.deneb.tensor.ScatterReduction;
import dev.deneb.tensor.Tape;
import dev.deneb.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * At least one first-order f64 gradient check for every {@link Primitive} record type, found from the sealed
 * hierarchy ({@link Class#getPermittedSubclasses()}, into {@link Primitive.Region}), so a new primitive fails this
 * test, by name, until it has a case here. Each case must also really record its primitive: the test walks the
 * output's graph ({@link Tape#node}, {@link Node#op}, {@link Node#edge}) and looks for it.
 */
class PrimitiveCoverageTest {
    private static final GradCheck.Options DEFAULTS = GradCheck.Options.defaults();
    /** Through f32 (casts): a larger step and tolerance, as GradCheckOpsTest's casts. */
    private static final GradCheck.Options LOOSE = new GradCheck.Options(1e-2, 1e-3, 1e-2);

    record Case(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, GradCheck.Options options) {}

    /** One case per primitive type. Other helpers' new primitives get their rows here when merged. */
    static Map<Class<? extends Primitive>, Case> table() {
        TestData d = new TestData(4000);
        Map<Class<? extends Primitive>, Case> t = new LinkedHashMap<>();
        ConvOptions conv = ConvOptions.of(1, 1, 1, 1);
        PoolOptions pool = PoolOptions.of(2);
        Tensor mask = d.mask(2, 3);
        Tensor index = Tensor.of(new long[] {2, 0, 2});
        Tensor gatherIndex = d.indices(3, 2, 3);
        Tensor perm = Tensor.stack(1, List.of(d.permutation(3), d.permutation(3)));
        // max-pooling indices of a fixed input, for the adjoint
        Tensor poolIndices = d.normal(1, 2, 4, 4).maxPool2d(pool).indices();

        t.put(Primitive.Unary.class, c(DEFAULTS, v -> v.get(0).tanh(), d.normal(2, 3)));
        t.put(Primitive.Binary.class, c(DEFAULTS, v -> v.get(0).mul(v.get(1)), d.normal(2, 3), d.normal(3)));
        t.put(Primitive.Where.class, c(DEFAULTS, v -> Tensor.where(mask, v.get(0), v.get(1)), d.normal(2, 3),
                d.normal(2, 3)));
        t.put(Primitive.Cast.class, c(LOOSE, v -> v.get(0).to(DType.F32).mul(3).to(DType.F64), d.normal(2, 3)));
        t.put(Primitive.Transfer.class, c(DEFAULTS, v -> {
            Backend here = v.get(0).backend();
            Backend there = here == Backends.reference() ? Backends.cpu() : Backends.reference();
            return v.get(0).to(there).sin().to(here);
        }, d.normal(2, 3)));
        t.put(Primitive.Reduce.class, c(DEFAULTS, v -> v.get(0).prod(new int[] {1}, false), d.normal(2, 3)));
        t.put(Primitive.Softmax.class, c(DEFAULTS, v -> v.get(0).logSoftmax(1), d.normal(2, 3)));
        t.put(Primitive.Norm.class, c(DEFAULTS, v -> v.get(0).norm(3, new int[] {0}, true),
                d.awayFromZero(0.3, 1.5, 2, 3)));
        t.put(Primitive.Reshape.class, c(DEFAULTS, v -> v.get(0).reshape(3, 2).sin(), d.normal(2, 3)));
        t.put(Primitive.Permute.class, c(DEFAULTS, v -> v.get(0).permute(1, 0).sin(), d.normal(2, 3)));
        t.put(Primitive.Expand.class, c(DEFAULTS, v -> v.get(0).expand(2, 3).sin(), d.normal(3)));
        t.put(Primitive.Copy.class, c(DEFAULTS, v -> v.get(0).t().contiguous().sin(), d.normal(2, 3)));
        t.put(Primitive.Slice.class, c(DEFAULTS, v -> v.get(0).slice(1, 0, 3, 2).sin(), d.normal(2, 3)));
        t.put(Primitive.Diagonal.class, c(DEFAULTS, v -> v.get(0).diagonal().sin(), d.normal(3, 3)));
        t.put(Primitive.RegionScatter.class, c(DEFAULTS, v -> v.get(0).sliceScatter(v.get(1), 1, 0, 3, 2).sin(),
                d.normal(2, 3), d.normal(2, 2)));
        t.put(Primitive.Cat.class, c(DEFAULTS, v -> Tensor.cat(0, v.get(0), v.get(1)).sin(), d.normal(1, 3),
                d.normal(2, 3)));
        t.put(Primitive.IndexSelect.class, c(DEFAULTS, v -> v.get(0).indexSelect(0, index).sin(), d.normal(3, 2)));
        t.put(Primitive.Gather.class, c(DEFAULTS, v -> v.get(0).gather(0, gatherIndex).sin(), d.normal(3, 3)));
        t.put(Primitive.Scatter.class, c(DEFAULTS, v -> v.get(0).scatter(0, perm, v.get(1)).sin(), d.normal(3, 2),
                d.normal(3, 2)));
        t.put(Primitive.Matmul.class, c(DEFAULTS, v -> v.get(0).matmul(v.get(1)), d.normal(2, 3), d.normal(3, 2)));
        t.put(Primitive.Linear.class, c(DEFAULTS, v -> Tensor.linear(v.get(0), v.get(1), v.get(2)), d.normal(2, 3),
                d.normal(4, 3), d.normal(4)));
        CsrPattern csr = CsrPattern.fromCoo(3, 4, Tensor.of(new long[] {2, 0, 2, 1, 0}, 5),
                Tensor.of(new long[] {1, 3, 0, 1, 3}, 5)).pattern();
        t.put(Primitive.SparseMatmul.class, c(DEFAULTS, v -> Tensor.sparseMatmul(csr, v.get(0), v.get(1)),
                d.normal(5), d.normal(4, 2)));
        t.put(Primitive.Conv2d.class, c(DEFAULTS, v -> Tensor.conv2d(v.get(0), v.get(1), null, conv),
                d.normal(1, 2, 3, 3), d.normal(2, 2, 2, 2)));
        t.put(Primitive.Conv2dInputGrad.class, c(DEFAULTS, v -> Tensor.conv2dInputGrad(v.get(0), v.get(1),
                new int[] {1, 2, 3, 3}, conv), d.normal(1, 2, 4, 4), d.normal(2, 2, 2, 2)));
        t.put(Primitive.Conv2dWeightGrad.class, c(DEFAULTS, v -> Tensor.conv2dWeightGrad(v.get(0), v.get(1),
                new int[] {2, 2, 2, 2}, conv), d.normal(1, 2, 3, 3), d.normal(1, 2, 4, 4)));
        t.put(Primitive.MaxPool2d.class, c(DEFAULTS, v -> v.get(0).maxPool2d(pool).values(), d.normal(1, 2, 4, 4)));
        t.put(Primitive.MaxPool2dBackward.class, c(DEFAULTS, v -> Tensor.maxPool2dBackward(v.get(0), poolIndices,
                new int[] {1, 2, 4, 4}, pool), d.normal(1, 2, 2, 2)));
        t.put(Primitive.AvgPool2d.class, c(DEFAULTS, v -> v.get(0).avgPool2d(PoolOptions.of(3, 2, 1)),
                d.normal(1, 2, 4, 4)));
        t.put(Primitive.AvgPool2dBackward.class, c(DEFAULTS, v -> Tensor.avgPool2dBackward(v.get(0),
                new int[] {1, 2, 4, 4}, PoolOptions.of(3, 2, 1)), d.normal(1, 2, 2, 2)));
        t.put(Primitive.RowNormalize.class, c(DEFAULTS, v -> RowNorm.forward(v.get(0), 1e-5).normalized(),
                d.normal(3, 4)));
        t.put(Primitive.AffineRowNormalize.class, c(DEFAULTS, v -> RowNorm.affine(v.get(0), v.get(1), v.get(2), 1e-5),
                d.normal(3, 4), d.normal(4), d.normal(4)));
        t.put(Primitive.Cumulative.class, c(DEFAULTS, v -> v.get(0).cumprod(1).add(v.get(0).cumsum(0)),
                d.normal(2, 3)));
        t.put(Primitive.ScatterReduce.class, c(DEFAULTS, v -> v.get(0).scatterReduce(0, Tensor.of(new long[] {1, 0, 1},
                3, 1), v.get(1), ScatterReduction.MEAN, true), d.normal(2, 1), d.normal(3, 1)));
        t.put(Primitive.Inverse.class, c(DEFAULTS, v -> v.get(0).inverse(), LinalgGradTest.wellConditioned(d, 3, 3)));
        t.put(Primitive.Solve.class, c(DEFAULTS, v -> Tensor.solve(v.get(0), v.get(1)),
                LinalgGradTest.wellConditioned(d, 3, 3), d.normal(3, 2)));
        t.put(Primitive.Slogdet.class, c(DEFAULTS, v -> v.get(0).slogdet().logAbsDet(), d.normal(3, 3)));
        t.put(Primitive.Cholesky.class, c(DEFAULTS, v -> LinalgGradTest.spd(v.get(0)).cholesky(), d.normal(3, 3)));
        t.put(Primitive.Eigh.class, c(DEFAULTS, v -> LinalgGradTest.fixColumns(LinalgGradTest.sym(v.get(0)).eigh()
                .eigenvectors()), d.normal(3, 3)));
        t.put(Primitive.Qr.class, c(DEFAULTS, v -> LinalgGradTest.fixColumns(v.get(0).qr().q()), d.normal(4, 3)));
        t.put(Primitive.Svd.class, c(DEFAULTS, v -> v.get(0).svd().s(), d.normal(4, 3)));
        // A custom op with its own rule: x^3 with gradient 3 x^2 g.
        t.put(Primitive.Custom.class, c(DEFAULTS, v -> {
            Tensor x = v.get(0);
            return Autograd.function("cube", x.detach().pow(3), g -> new Tensor[] {g.mul(x.pow(2)).mul(3)}, x);
        }, d.normal(2, 3)));
        return t;
    }

    private static Case c(GradCheck.Options o, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        return new Case(f, List.of(inputs), o);
    }

    /** Every record type of the sealed family, recursing into sealed sub-interfaces such as Region. */
    static List<Class<? extends Primitive>> primitiveTypes() {
        Set<Class<? extends Primitive>> out = new LinkedHashSet<>();
        collect(Primitive.class, out);
        return new ArrayList<>(out);
    }

    @SuppressWarnings("unchecked")
    private static void collect(Class<?> type, Set<Class<? extends Primitive>> out) {
        if (type.isRecord()) {
            out.add((Class<? extends Primitive>) type);
        }
        Class<?>[] subs = type.getPermittedSubclasses();
        if (subs != null) {
            for (Class<?> s : subs) {
                collect(s, out);
            }
        }
        if (!type.isRecord() && subs == null && type != Primitive.class) {
            throw new AssertionError(type + " is neither a record nor sealed: extend primitiveTypes()");
        }
    }

    @Test
    void everyPrimitiveTypeHasACase() {
        List<Class<? extends Primitive>> types = primitiveTypes();
        assertTrue(types.contains(Primitive.Slice.class) && types.contains(Primitive.Custom.class),
                "the walk must reach records inside Region and at the top level: " + types);
        Map<Class<? extends Primitive>, Case> table = table();
        List<String> missing = types.stream().filter(t -> !table.containsKey(t)).map(Class::getSimpleName).toList();
        assertTrue(missing.isEmpty(), "primitives without a gradient-check case in PrimitiveCoverageTest.table(): "
                + missing);
        List<String> stale = table.keySet().stream().filter(t -> !types.contains(t)).map(Class::getSimpleName)
                .toList();
        assertTrue(stale.isEmpty(), "cases for types that are no longer primitives: " + stale);
    }

    static Stream<Arguments> cases() {
        return table().entrySet().stream().map(e -> Arguments.of(e.getKey(),
                Named.of(e.getKey().getSimpleName(), e.getValue())));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void caseRecordsItsPrimitiveAndPassesGradCheck(Class<? extends Primitive> type, Case c) {
        List<Tensor> leaves = new ArrayList<>();
        for (Tensor t : c.inputs()) {
            leaves.add(t.to(DType.F64).copy().requiresGrad(true));
        }
        Tensor y = c.f().apply(leaves);
        Set<Class<?>> recorded = recordedTypes(y);
        assertTrue(recorded.contains(type), type.getSimpleName() + "'s case does not record it; it records "
                + recorded.stream().map(Class::getSimpleName).sorted().toList());
        TestData.assertPasses(c.f(), c.inputs(), c.options());
    }

    /** The primitive types of every node reachable from {@code y}. */
    static Set<Class<?>> recordedTypes(Tensor y) {
        Set<Class<?>> types = new LinkedHashSet<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Tensor> todo = new ArrayDeque<>(List.of(y));
        while (!todo.isEmpty()) {
            Node n = Tape.node(todo.pop());
            if (n == null || !seen.add(n)) {
                continue;
            }
            types.add(n.op().getClass());
            for (int i = 0; i < n.arity(); i++) {
                todo.push(n.edge(i));
            }
        }
        return types;
    }

    /** The graph walk finds primitives below the output, not just its own node. */
    @Test
    void walkFindsPrimitivesDeepInTheGraph() {
        Tensor x = TestData.param(1, 2, 3);
        Set<Class<?>> types = recordedTypes(x.reshape(3, 1).expand(3, 2).sin().sum());
        assertTrue(types.containsAll(Arrays.asList(Primitive.Reshape.class, Primitive.Expand.class,
                Primitive.Unary.class, Primitive.Reduce.class)), types.toString());
        assertTrue(!types.contains(Primitive.Matmul.class));
    }
}
