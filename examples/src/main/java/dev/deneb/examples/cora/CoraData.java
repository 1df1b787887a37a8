package dev.deneb.examples.cora;

import dev.deneb.data.Csv;
import dev.deneb.data.CsvTable;
import dev.deneb.nn.graph.EdgeIndex;
import dev.deneb.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Cora citation graph from the CSV files of {@code ../shared/data/cora} (see its README): row-normalised
 * bag-of-words features {@code [2708, 1433]}, labels 0..6, the undirected edge index (both directions, {@code [2,
 * 10556]}) and the Planetoid split (140 / 500 / 1000 node ids).
 */
public record CoraData(Tensor features, Tensor labels, Tensor edgeIndex, Tensor train, Tensor val, Tensor test,
                       int numNodes, int numFeatures, int numClasses) {

    public static CoraData load(Path dir) {
        for (String f : new String[] {"cora_features.csv", "cora_labels.csv", "cora_edges.csv",
            "cora_split_planetoid.csv"}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalStateException("Cora: " + dir.resolve(f) + " is missing; pass --data <folder with "
                        + "the Cora CSV files>");
            }
        }
        CsvTable labels = Csv.read(dir.resolve("cora_labels.csv"));
        long[] node = labels.longs("node");
        long[] label = labels.longs("label");
        int n = node.length;
        long[] y = new long[n];
        int classes = 0;
        for (int i = 0; i < n; i++) {
            y[(int) node[i]] = label[i];
            classes = Math.max(classes, (int) label[i] + 1);
        }
        CsvTable feats = Csv.read(dir.resolve("cora_features.csv"));
        long[] fn = feats.longs("node");
        long[] ff = feats.longs("feature");
        int f = 0;
        for (long v : ff) {
            f = Math.max(f, (int) v + 1);
        }
        float[] x = new float[n * f];
        int[] count = new int[n];
        for (int i = 0; i < fn.length; i++) {
            x[(int) fn[i] * f + (int) ff[i]] = 1;
            count[(int) fn[i]]++;
        }
        for (int i = 0; i < n; i++) {  // row normalisation, as Kipf & Welling and Veličković et al.
            if (count[i] > 0) {
                for (int j = 0; j < f; j++) {
                    x[i * f + j] /= count[i];
                }
            }
        }
        CsvTable edges = Csv.read(dir.resolve("cora_edges.csv"));
        Tensor ei = EdgeIndex.undirected(edges.longs("source"), edges.longs("target"));
        CsvTable split = Csv.read(dir.resolve("cora_split_planetoid.csv"));
        long[] sn = split.longs("node");
        String[] ss = split.strings("split");
        return new CoraData(Tensor.of(x, n, f), Tensor.of(y, n), ei, ids(sn, ss, "train"), ids(sn, ss, "val"),
                ids(sn, ss, "test"), n, f, classes);
    }

    private static Tensor ids(long[] nodes, String[] split, String which) {
        return Tensor.of(java.util.stream.IntStream.range(0, nodes.length).filter(i -> split[i].equals(which))
                .mapToLong(i -> nodes[i]).sorted().toArray(), (int) java.util.Arrays.stream(split)
                .filter(which::equals).count());
    }
}
