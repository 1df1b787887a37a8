package dev.deneb.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Traversal (layers, namedLayers, children, apply) and the names printed for anonymous layers. */
class LayerTreeTest {
    /** encoder = Sequential(Linear, ReLU, Sequential(Linear)), head = Linear. */
    static final class Net extends Layer {
        final Sequential encoder;
        final Linear head;

        Net() {
            Generator g = new Generator(5);
            encoder = registerLayer("encoder", new Sequential(new Linear(3, 4, Linear.Options.defaults().generator(g)), Activation.relu(),
                    new Sequential(new Linear(4, 4, Linear.Options.defaults().generator(g)))));
            head = registerLayer("head", new Linear(4, 2, Linear.Options.defaults().generator(g)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return head.call(encoder.call(x));
        }
    }

    @Test
    void namedLayersArePreOrderWithDottedNamesAndTheEmptyNameForTheRoot() {
        Net net = new Net();
        Map<String, Layer> named = net.namedLayers();
        assertEquals(List.of("", "encoder", "encoder.0", "encoder.1", "encoder.2", "encoder.2.0", "head"),
                List.copyOf(named.keySet()));
        assertSame(net, named.get(""));
        assertSame(net.encoder.get(2), named.get("encoder.2"));
        assertSame(((Sequential) net.encoder.get(2)).get(0), named.get("encoder.2.0"));
        assertSame(net.head, named.get("head"));
        assertEquals(List.copyOf(named.values()), net.layers());
    }

    @Test
    void childrenAreTheDirectSubLayersOnly() {
        Net net = new Net();
        assertEquals(List.of(net.encoder, net.head), net.children());
        assertEquals(List.of("encoder", "head"), List.copyOf(net.namedChildren().keySet()));
        assertSame(net.encoder, net.namedChildren().get("encoder"));
        assertEquals(List.of(), net.head.children());
        assertEquals(List.of(net.head), net.head.layers(), "a leaf's layers() is itself");
    }

    @Test
    void aLayerReachableTwiceIsListedOnceUnderItsFirstName() {
        Linear shared = new Linear(2, 2);
        Sequential s = new Sequential(shared, Activation.tanh(), shared);
        assertEquals(List.of("", "0", "1"), List.copyOf(s.namedLayers().keySet()));
        assertEquals(3, s.layers().size());
    }

    @Test
    void applyVisitsChildrenFirstThenTheLayerItselfAndReturnsIt() {
        Net net = new Net();
        Map<Layer, String> names = new IdentityHashMap<>();
        net.namedLayers().forEach((n, l) -> names.put(l, n));
        List<String> order = new ArrayList<>();
        assertSame(net, net.apply(l -> order.add(names.get(l))));
        // as torch.nn.Module.apply: each child's subtree (recursively), then the parent
        assertEquals(List.of("encoder.0", "encoder.1", "encoder.2.0", "encoder.2", "encoder", "head", ""), order);
    }

    @Test
    void applyCanReinitialiseEveryLinear() {
        Net net = new Net();
        net.apply(l -> {
            if (l instanceof Linear lin) {
                lin.bias.detach().fill(0.5);
            }
        });
        for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
            if (e.getKey().endsWith("bias")) {
                for (float v : e.getValue().toFloatArray()) {
                    assertEquals(0.5f, v, e.getKey());
                }
            }
        }
    }

    @Test
    void anAnonymousLayerPrintsItsNearestNamedSuperclass() {
        Layer identity = new Layer() {
            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        };
        assertEquals("Layer()", identity.toString());
        Sequential block = new Sequential() {
            {
                add(new Linear(2, 3));
            }
        };
        assertEquals("Sequential(\n  (0): Linear(in=2, out=3)\n)", block.toString());
        Sequential outer = new Sequential(identity, block);
        String s = outer.toString();
        assertTrue(s.startsWith("Sequential(\n  (0): Layer()\n  (1): Sequential(\n    (0): Linear(in=2, out=3)"), s);
        assertTrue(!s.contains("()(") && !s.contains("  (0): ("), s);
    }

    @Test
    void aNamedSubclassPrintsItsOwnName() {
        final class Scale extends Layer {
            @Override
            public Tensor forward(Tensor x) {
                return x.mul(2);
            }
        }
        assertEquals("Scale()", new Scale().toString());
        assertEquals("ReLU()", Activation.relu().toString());
    }
}
