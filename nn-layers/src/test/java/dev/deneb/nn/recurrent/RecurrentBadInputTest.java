package dev.deneb.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad shapes, lengths and masks: each a clear exception naming the problem. */
class RecurrentBadInputTest {
    private final LSTM lstm = new LSTM(3, 4,
            RecurrentOptions.defaults().batchFirst(true).generator(new Generator(0)));
    private final GRU gru = new GRU(3, 4,
            RecurrentOptions.defaults().numLayers(2).generator(new Generator(0)));

    private static void fails(Executable e, String... words) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String w : words) {
            assertTrue(ex.getMessage().contains(w), "message '" + ex.getMessage() + "' should mention '" + w + "'");
        }
    }

    @Test
    void sequenceOfLengthZero() {
        fails(() -> lstm.forward(Tensor.zeros(2, 0, 3)), "sequence length 0");
        fails(() -> gru.forward(Tensor.zeros(0, 2, 3)), "sequence length 0");
        fails(() -> lstm.forward(Tensor.zeros(2, 5, 3), new int[] {5, 0}), "length 0");
        Tensor mask = Tensor.of(new boolean[] {true, true, false, false}, 2, 2);
        fails(() -> lstm.forward(Tensor.zeros(2, 2, 3), null, null, mask), "sequence 1", "length 0");
    }

    @Test
    void wrongShapes() {
        fails(() -> lstm.forward(Tensor.zeros(2, 5, 7)), "3 input features", "7");
        fails(() -> lstm.forward(Tensor.zeros(5, 3)), "3-D");
        fails(() -> lstm.forward(Tensor.zeros(2, 5, 3), Tensor.zeros(1, 3, 4), null),
                "h0", "[1, 2, 4]");
        fails(() -> gru.forward(Tensor.zeros(5, 2, 3), Tensor.zeros(1, 2, 4)), "h0");
        fails(() -> lstm.forward(Tensor.zeros(2, 5, 3), new int[] {5}), "1 lengths", "batch of 2");
        fails(() -> lstm.forward(Tensor.zeros(2, 5, 3), new int[] {6, 2}), "outside 1..5");
        fails(() -> lstm.forward(Tensor.zeros(2, 5, 3), null, null, Tensor.zeros(5, 2)), "mask");
        fails(() -> new LSTM(3, 0), "hiddenSize");
        fails(() -> RecurrentOptions.defaults().dropout(1.5), "dropout");
        fails(() -> new LSTMCell(3, 4).forward(Tensor.zeros(2, 5), null), "[B, 3]");
    }
}
