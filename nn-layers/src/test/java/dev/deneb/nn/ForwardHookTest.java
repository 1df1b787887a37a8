package dev.deneb.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.nn.attention.TransformerEncoder;
import dev.deneb.nn.attention.TransformerEncoderLayer;
import dev.deneb.nn.attention.TransformerOptions;
import dev.deneb.nn.graph.GCNConv;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Forward pre-hooks and hooks: run by call(), not by forward(); replacing input and output; removal. */
class ForwardHookTest {
    private final Generator g = new Generator(11);

    private static void assertSameValues(Tensor expected, Tensor actual) {
        assertTrue(expected.detach().allClose(actual.detach(), 0, 0, false),
                "expected " + expected + ", got " + actual);
    }

    @Test
    void aPreHookReplacesTheInputOfCallButForwardRunsNoHooks() {
        Linear lin = new Linear(3, 2, Linear.Options.defaults().generator(g));
        Tensor x = g.normal(0, 1, 4, 3);
        List<Layer> seen = new ArrayList<>();
        lin.registerForwardPreHook((layer, in) -> {
            seen.add(layer);
            return in.mul(2);
        });
        assertSameValues(lin.forward(x.mul(2)), lin.call(x));
        assertEquals(List.of(lin), seen, "the hook gets the layer");
        assertSameValues(lin.forward(x.mul(2)), lin.forward(x.mul(2)));
        lin.forward(x);
        assertEquals(1, seen.size(), "forward() runs no hooks");
    }

    @Test
    void aHookSeesInputAndOutputAndMayReplaceTheOutput() {
        Linear lin = new Linear(3, 2, Linear.Options.defaults().generator(g));
        Tensor x = g.normal(0, 1, 4, 3);
        Tensor[] saw = new Tensor[2];
        lin.registerForwardPreHook((layer, in) -> in.add(1));
        lin.registerForwardHook((layer, in, out) -> {
            saw[0] = in;
            saw[1] = out;
            return out.mul(-1);
        });
        Tensor y = lin.call(x);
        assertSameValues(x.add(1), saw[0]);
        assertSameValues(lin.forward(x.add(1)), saw[1]);
        assertSameValues(lin.forward(x.add(1)).mul(-1), y);
    }

    @Test
    void hooksRunInRegistrationOrderAndNullKeepsTheValue() {
        Activation id = new Activation("Identity", t -> t);
        Tensor x = Tensor.of(new float[] {1, 2}, 2);
        id.registerForwardHook((layer, in, out) -> out.add(1));
        id.registerForwardHook((layer, in, out) -> null);
        id.registerForwardHook((layer, in, out) -> out.mul(10));
        id.registerForwardPreHook((layer, in) -> null);
        assertSameValues(Tensor.of(new float[] {20, 30}, 2), id.call(x));
    }

    @Test
    void removedHooksNoLongerRunAndRemovingTwiceIsHarmless() {
        Linear lin = new Linear(3, 2, Linear.Options.defaults().generator(g));
        Tensor x = g.normal(0, 1, 2, 3);
        HookHandle pre = lin.registerForwardPreHook((layer, in) -> in.mul(0));
        HookHandle post = lin.registerForwardHook((layer, in, out) -> out.add(100));
        assertSameValues(lin.forward(x.mul(0)).add(100), lin.call(x));
        pre.remove();
        assertSameValues(lin.forward(x).add(100), lin.call(x));
        post.remove();
        post.remove();
        assertSameValues(lin.forward(x), lin.call(x));
        try (var h = lin.registerForwardHook((layer, in, out) -> out.mul(3))) {
            assertNotNull(h);
            assertSameValues(lin.forward(x).mul(3), lin.call(x));
        }
        assertSameValues(lin.forward(x), lin.call(x));
    }

    @Test
    void aHookMayRemoveItselfWhileRunning() {
        Linear lin = new Linear(3, 2, Linear.Options.defaults().generator(g));
        Tensor x = g.normal(0, 1, 2, 3);
        int[] calls = new int[1];
        HookHandle[] handle = new HookHandle[1];
        handle[0] = lin.registerForwardHook((layer, in, out) -> {
            calls[0]++;
            handle[0].remove();
            return out;
        });
        lin.call(x);
        lin.call(x);
        assertEquals(1, calls[0]);
    }

    @Test
    void hooksOnChildrenFireInsideSequentialEvenWhenTheParentIsCalledWithForward() {
        Linear a = new Linear(3, 5, Linear.Options.defaults().generator(g));
        Linear b = new Linear(5, 2, Linear.Options.defaults().generator(g));
        Sequential net = new Sequential(a, Activation.relu(), b);
        List<String> log = new ArrayList<>();
        for (var e : net.namedChildren().entrySet()) {
            e.getValue().registerForwardHook((layer, in, out) -> {
                log.add(e.getKey() + Arrays.toString(out.shape()));
                return out;
            });
        }
        Tensor x = g.normal(0, 1, 4, 3);
        Tensor plain = b.forward(a.forward(x).relu());
        assertSameValues(plain, net.forward(x));
        assertEquals(List.of("0[4, 5]", "1[4, 5]", "2[4, 2]"), log);
        // a child's hook that replaces its output changes what the container returns
        a.registerForwardHook((layer, in, out) -> out.mul(0));
        assertSameValues(b.forward(a.forward(x).mul(0).relu()), net.call(x));
    }

    @Test
    void hooksFireInsideTransformerAndGraphLayers() {
        TransformerEncoder enc = new TransformerEncoder(4, 2, 2, TransformerOptions.defaults().dimFeedforward(8)
                .dropout(0).batchFirst(true).finalNorm(true).generator(g));
        List<String> fired = new ArrayList<>();
        enc.namedLayers().forEach((name, layer) -> layer.registerForwardHook((l, in, out) -> {
            fired.add(name);
            return out;
        }));
        enc.forward(g.normal(0, 1, 2, 3, 4));
        for (String name : List.of("layers.0", "layers.0.self_attn", "layers.0.self_attn.out_proj",
                "layers.0.linear1", "layers.0.linear2", "layers.0.norm2", "layers.1", "norm")) {
            assertTrue(fired.contains(name), name + " fired: " + fired);
        }
        GCNConv gcn = new GCNConv(3, 2, GCNConv.Options.defaults().generator(g));
        Layer lin = gcn.namedLayers().get("lin");
        boolean[] linFired = new boolean[1];
        lin.registerForwardHook((l, in, out) -> {
            linFired[0] = true;
            return out;
        });
        gcn.forward(g.normal(0, 1, 3, 3), Tensor.of(new long[] {0, 1, 1, 2}, 2, 2));
        assertTrue(linFired[0], "GCNConv invokes its lin through call");
    }

    @Test
    void callWithAnotherForwardOverloadRunsTheHooksAroundIt() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, TransformerOptions.defaults().dimFeedforward(8)
                .dropout(0).batchFirst(true).generator(g));
        Tensor x = g.normal(0, 1, 2, 3, 4);
        Tensor kpm = Tensor.of(new boolean[] {false, false, true, false, false, false}, 2, 3);
        layer.registerForwardHook((l, in, out) -> out.mul(2));
        assertSameValues(layer.forward(x, kpm).mul(2), layer.call(x, t -> layer.forward(t, kpm)));
    }

    @Test
    void nullHooksAreRejected() {
        Linear lin = new Linear(2, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> lin.registerForwardHook(null));
        assertTrue(e.getMessage().contains("Linear.registerForwardHook") && e.getMessage().contains("null"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> lin.registerForwardPreHook(null));
    }
}
