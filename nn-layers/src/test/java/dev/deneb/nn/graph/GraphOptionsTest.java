package dev.deneb.nn.graph;

import static dev.deneb.nn.OptionsAssertions.assertRejected;
import static dev.deneb.nn.OptionsAssertions.assertSetter;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.deneb.nn.Init;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The option records of the graph layers: PyG's defaults, setters, rejected values, layers honouring them. */
class GraphOptionsTest {
    private final Generator g = new Generator(6);

    @Test
    void gcn() {
        GCNConv.Options d = GCNConv.Options.defaults();
        assertEquals(new GCNConv.Options(false, false, true, true, true, Generator.global()), d);
        assertSetter(d, o -> o.improved(true), GCNConv.Options::improved, true);
        assertSetter(d, o -> o.cached(true), GCNConv.Options::cached, true);
        assertSetter(d, o -> o.addSelfLoops(false), GCNConv.Options::addSelfLoops, false);
        assertSetter(d, o -> o.normalize(false), GCNConv.Options::normalize, false);
        assertSetter(d, o -> o.bias(false), GCNConv.Options::bias, false);
        assertSetter(d, o -> o.generator(g), GCNConv.Options::generator, g);
        GCNConv.Options all = new GCNConv.Options(true, true, false, false, false, g);
        assertEquals(all, d.improved(true).cached(true).addSelfLoops(false).normalize(false).bias(false).generator(g));
        assertEquals(all, d.generator(g).bias(false).normalize(false).addSelfLoops(false).cached(true).improved(true));
        assertRejected(() -> d.generator(null), "GCNConv.Options", "generator");
        assertRejected(() -> new GCNConv(3, 2, null), "GCNConv", "options");
        assertNull(new GCNConv(3, 2, d.bias(false)).bias);
        GCNConv conv = new GCNConv(3, 2, d.generator(new Generator(1)));
        assertArrayEquals(Init.xavierUniform(new Generator(1), 1.0, 2, 3).toFloatArray(), conv.weight.toFloatArray());
        // without normalising, the edge keeps its weight 1 and the added self-loops carry 2 when improved
        Tensor edges = Tensor.of(new long[] {0, 1}, 2, 1);
        GCNConv.Propagation p = GCNConv.propagation(edges, null, 2, d.improved(true).normalize(false));
        assertArrayEquals(new double[] {1, 2, 2}, p.coefficients().toDoubleArray());
        assertEquals(1, GCNConv.propagation(edges, null, 2, d.addSelfLoops(false)).coefficients().numel());
    }

    @Test
    void gat() {
        GATConv.Options d = GATConv.Options.defaults();
        assertEquals(new GATConv.Options(true, 0.2, 0.0, true, true, Generator.global()), d);
        assertSetter(d, o -> o.concat(false), GATConv.Options::concat, false);
        assertSetter(d, o -> o.negativeSlope(0.1), GATConv.Options::negativeSlope, 0.1);
        assertSetter(d, o -> o.dropout(0.6), GATConv.Options::dropout, 0.6);
        assertSetter(d, o -> o.addSelfLoops(false), GATConv.Options::addSelfLoops, false);
        assertSetter(d, o -> o.bias(false), GATConv.Options::bias, false);
        assertSetter(d, o -> o.generator(g), GATConv.Options::generator, g);
        GATConv.Options all = new GATConv.Options(false, 0.1, 0.6, false, false, g);
        assertEquals(all, d.concat(false).negativeSlope(0.1).dropout(0.6).addSelfLoops(false).bias(false).generator(g));
        assertEquals(all, d.generator(g).bias(false).addSelfLoops(false).dropout(0.6).negativeSlope(0.1).concat(false));
        assertRejected(() -> d.dropout(1.2), "GATConv.Options", "dropout", "1.2");
        assertRejected(() -> d.negativeSlope(Double.NaN), "GATConv.Options", "negativeSlope", "NaN");
        assertRejected(() -> d.generator(null), "GATConv.Options", "generator");
        assertRejected(() -> new GATConv(3, 2, 0), "GATConv", "heads");
        assertRejected(() -> new GATConv(3, 2, 2, null), "GATConv", "options");
        assertEquals(1, new GATConv(3, 2).heads);
        GATConv averaged = new GATConv(3, 2, 4, d.concat(false));
        assertArrayEquals(new int[] {2}, averaged.bias.shape());
        assertArrayEquals(new int[] {5, 2}, averaged.forward(Tensor.randn(5, 3), Tensor.of(new long[] {0, 1, 1, 2},
                2, 2)).shape());
        assertNull(new GATConv(3, 2, 2, d.bias(false)).bias);
    }

    @Test
    void sage() {
        SAGEConv.Options d = SAGEConv.Options.defaults();
        assertEquals(new SAGEConv.Options(false, true, true, Generator.global()), d);
        assertSetter(d, o -> o.normalize(true), SAGEConv.Options::normalize, true);
        assertSetter(d, o -> o.rootWeight(false), SAGEConv.Options::rootWeight, false);
        assertSetter(d, o -> o.bias(false), SAGEConv.Options::bias, false);
        assertSetter(d, o -> o.generator(g), SAGEConv.Options::generator, g);
        SAGEConv.Options all = new SAGEConv.Options(true, false, false, g);
        assertEquals(all, d.normalize(true).rootWeight(false).bias(false).generator(g));
        assertEquals(all, d.generator(g).bias(false).rootWeight(false).normalize(true));
        assertRejected(() -> d.generator(null), "SAGEConv.Options", "generator");
        assertRejected(() -> new SAGEConv(3, 2, null), "SAGEConv", "options");
        SAGEConv bare = new SAGEConv(3, 2, d.rootWeight(false).bias(false).normalize(true));
        assertNull(bare.linR);
        assertNull(bare.linL.bias);
        Tensor out = bare.forward(Tensor.randn(3, 3), Tensor.of(new long[] {0, 1, 1, 2}, 2, 2));
        double norm = out.select(0, 1).norm(2, new int[] {0}, false).item();
        assertEquals(1.0, norm, 1e-5);
        // lin_l is drawn before lin_r, both from the options' generator
        SAGEConv seeded = new SAGEConv(3, 2, d.generator(new Generator(3)));
        SAGEConv again = new SAGEConv(3, 2, d.generator(new Generator(3)));
        assertArrayEquals(again.linR.weight.toFloatArray(), seeded.linR.weight.toFloatArray());
    }
}
