package dev.deneb.nn.graph;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;

/** Argument checks shared by the graph layers. */
final class GraphChecks {
    private GraphChecks() {}

    static void nodeFeatures(String who, Tensor x, int inChannels) {
        if (x.dim() != 2 || x.size(1) != inChannels) {
            throw new IllegalArgumentException(who + ": expected node features [numNodes, " + inChannels + "], got "
                    + Arrays.toString(x.shape()));
        }
    }
}
