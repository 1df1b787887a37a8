package dev.deneb.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LayerList, LayerDict and Sequential subclasses: registration, PyTorch's state-dict names, iteration. */
class LayerContainerTest {
    private final Generator g = new Generator(21);

    private static void assertSameValues(Tensor expected, Tensor actual) {
        assertTrue(expected.detach().allClose(actual.detach(), 0, 0, false),
                "expected " + expected + ", got " + actual);
    }

    /** As a PyTorch module with {@code self.layers = nn.ModuleList([...])} and {@code self.heads = nn.ModuleDict}. */
    final class Net extends Layer {
        final LayerList layers = registerLayer("layers", new LayerList());
        final LayerDict heads = registerLayer("heads", new LayerDict());

        Net() {
            for (int i = 0; i < 3; i++) {
                layers.add(new Linear(4, 4, Linear.Options.defaults().generator(g)));
            }
            heads.put("cls", new Linear(4, 3, Linear.Options.defaults().generator(g)));
            heads.put("box", new Linear(4, 2, Linear.Options.defaults().bias(false).generator(g)));
        }

        @Override
        public Tensor forward(Tensor x) {
            for (Layer l : layers) {
                x = l.call(x).relu();
            }
            return heads.get("cls").call(x);
        }
    }

    @Test
    void layerListAndLayerDictRegisterUnderPyTorchsNames() {
        Net net = new Net();
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
                "layers.2.weight", "layers.2.bias", "heads.cls.weight", "heads.cls.bias", "heads.box.weight"),
                List.copyOf(net.stateDict().keySet()));
        Tensor x = g.normal(0, 1, 2, 4);
        Tensor h = x;
        for (int i = 0; i < 3; i++) {
            h = net.layers.get(i).forward(h).relu();
        }
        assertSameValues(net.heads.get("cls").forward(h), net.forward(x));
    }

    @Test
    void layerListIndexesSizesAndIteratesInOrder() {
        Linear a = new Linear(2, 2);
        Linear b = new Linear(2, 3);
        LayerList list = new LayerList(a).add(b);
        assertEquals(2, list.size());
        assertSame(a, list.get(0));
        assertSame(b, list.get(1));
        List<Layer> seen = new ArrayList<>();
        list.forEach(seen::add);
        assertEquals(List.of(a, b), seen);
        assertEquals(List.of("0", "1"), List.copyOf(list.namedChildren().keySet()));
        var e = assertThrows(IndexOutOfBoundsException.class, () -> list.get(2));
        assertTrue(e.getMessage().contains("LayerList") && e.getMessage().contains("2")
                && e.getMessage().contains("2 layers"), e.getMessage());
        var u = assertThrows(UnsupportedOperationException.class, () -> list.forward(Tensor.zeros(1, 2)));
        assertTrue(u.getMessage().contains("LayerList has no forward"), u.getMessage());
        assertThrows(IllegalArgumentException.class, () -> list.add(null));
        assertThrows(UnsupportedOperationException.class, () -> list.iterator().remove());
    }

    @Test
    void layerDictKeepsInsertionOrderAndReplacesInPlace() {
        Linear a = new Linear(2, 2);
        Linear b = new Linear(2, 3);
        Linear c = new Linear(2, 4);
        Map<String, Layer> init = new LinkedHashMap<>();
        init.put("zeta", a);
        init.put("alpha", b);
        LayerDict dict = new LayerDict(init);
        assertEquals(List.of("zeta", "alpha"), dict.keys());
        assertSame(b, dict.get("alpha"));
        List<Layer> seen = new ArrayList<>();
        dict.forEach(seen::add);
        assertEquals(List.of(a, b), seen);
        dict.put("zeta", c);
        assertEquals(List.of("zeta", "alpha"), dict.keys(), "replacing keeps the position");
        assertSame(c, dict.get("zeta"));
        assertEquals(List.of(c, b), dict.children());
        assertEquals(List.of(4, 2), List.of(dict.stateDict().get("zeta.weight").size(0),
                dict.stateDict().get("zeta.weight").size(1)));
        assertEquals(2, dict.size());
        assertTrue(dict.containsKey("alpha") && !dict.containsKey("beta"));
        var e = assertThrows(IllegalArgumentException.class, () -> dict.get("beta"));
        assertTrue(e.getMessage().contains("'beta'") && e.getMessage().contains("[zeta, alpha]"), e.getMessage());
        var dot = assertThrows(IllegalArgumentException.class, () -> dict.put("a.b", new Linear(1, 1)));
        assertTrue(dot.getMessage().contains("'a.b'"), dot.getMessage());
        assertThrows(IllegalArgumentException.class, () -> dict.put("zeta", null));
        assertThrows(UnsupportedOperationException.class, () -> dict.forward(Tensor.zeros(1, 2)));
    }

    /** A user's Sequential: layers added in the constructor, registered as "0", "1", … */
    static final class Mlp extends Sequential {
        Mlp(Generator g) {
            add(new Linear(4, 8, Linear.Options.defaults().generator(g)));
            add(Activation.relu());
            add(new Linear(8, 2, Linear.Options.defaults().generator(g)));
        }
    }

    /** A Sequential subclass with its own forward: a residual block. */
    static final class Residual extends Sequential {
        Residual(Generator g) {
            super(new Linear(4, 4, Linear.Options.defaults().generator(g)), Activation.tanh());
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.add(super.forward(x));
        }
    }

    @Test
    void aSequentialSubclassAddsLayersInItsConstructor() {
        Mlp mlp = new Mlp(g);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(mlp.stateDict().keySet()));
        assertEquals(3, mlp.size());
        Tensor x = g.normal(0, 1, 5, 4);
        assertSameValues(mlp.get(2).forward(mlp.get(0).forward(x).relu()), mlp.forward(x));
        List<Layer> seen = new ArrayList<>();
        for (Layer l : mlp) {
            seen.add(l);
        }
        assertEquals(mlp.children(), seen);
        assertTrue(mlp.toString().startsWith("Mlp(\n  (0): Linear(in=4, out=8)\n  (1): ReLU()"), mlp.toString());
        var e = assertThrows(IndexOutOfBoundsException.class, () -> mlp.get(-1));
        assertTrue(e.getMessage().contains("Mlp: index -1"), e.getMessage());
    }

    @Test
    void aSequentialSubclassMayOverrideForward() {
        Residual block = new Residual(g);
        Sequential net = new Sequential(block, new Linear(4, 1, Linear.Options.defaults().generator(g)));
        Tensor x = g.normal(0, 1, 3, 4);
        Tensor inner = block.get(0).forward(x).tanh();
        assertSameValues(x.add(inner), block.forward(x));
        assertSameValues(net.get(1).forward(x.add(inner)), net.forward(x));
        assertEquals(List.of("0.0.weight", "0.0.bias", "1.weight", "1.bias"), List.copyOf(net.stateDict().keySet()));
    }
}
