package dev.deneb.examples.sdss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.data.Csv;
import dev.deneb.data.Standardizer;
import dev.deneb.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Features, labels and the model bundle, on small CSVs written here (no data folder needed). */
class SdssDataTest {
    static final String HEADER = "objid,u,g,r,i,z,class,redshift";
    static final String[] ROWS = {
        "1,19.47,17.04,15.95,15.50,15.22,STAR,-0.00009",
        "2,18.66,17.21,16.68,16.49,16.39,GALAXY,0.12",
        "3,18.50,18.20,18.10,18.00,17.90,QSO,1.8",
        "4,16.00,15.10,14.80,14.70,14.65,STAR,0.0001",
    };

    static Path write(Path dir, String name, String eol) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, HEADER + eol + String.join(eol, ROWS) + eol);
        return f;
    }

    @Test
    void featuresAreMagnitudesAndColoursWithCrlfOrLf(@TempDir Path dir) throws Exception {
        for (String eol : new String[] {"\r\n", "\n"}) {
            SdssData.Labelled d = SdssData.load(write(dir, "s.csv", eol), SdssData.Task.STAR_QSO, 0);
            assertEquals(3, d.size());
            assertArrayEquals(new long[] {0, 1, 0}, d.labels());
            assertArrayEquals(new int[] {0, 2, 3}, d.fileRows());
            float[] first = d.inputs().toFloatArray();
            assertEquals(9 * 3, first.length);
            assertEquals(19.47f, first[0], 1e-5);
            assertEquals(19.47f - 17.04f, first[5], 1e-5); // u-g
            assertEquals(15.50f - 15.22f, first[8], 1e-5); // i-z
            SdssData.Labelled three = SdssData.load(write(dir, "t.csv", eol), SdssData.Task.THREE_CLASS, 0);
            assertArrayEquals(new long[] {0, 1, 2, 0}, three.labels());
        }
    }

    @Test
    void missingColumnsAndBadCellsAreClearErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "u,g,r,z,class\n1,2,3,4,STAR\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SdssData.features(Csv.read(f)));
        assertTrue(e.getMessage().contains("'i'") && e.getMessage().contains("u, g, r, z, class"), e.getMessage());
        Files.writeString(f, "u,g,r,i,z\n1,2,x,4,5\n");
        e = assertThrows(IllegalArgumentException.class, () -> SdssData.features(Csv.read(f)));
        assertTrue(e.getMessage().contains("'r'") && e.getMessage().contains("not a number"), e.getMessage());
        Files.writeString(f, "");
        assertThrows(IllegalArgumentException.class, () -> SdssData.features(Csv.read(f)));
        Files.writeString(f, "u,g,r,i,z,class\n1,2,3,4,5,GALAXY\n");
        e = assertThrows(IllegalArgumentException.class, () -> SdssData.load(f, SdssData.Task.STAR_QSO, 0));
        assertTrue(e.getMessage().contains("no usable rows") && e.getMessage().contains("1 GALAXY"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SdssData.Task.parse("stars"));
        assertEquals(SdssData.Task.THREE_CLASS, SdssData.Task.parse("THREE_CLASS"));
    }

    @Test
    void balancedWeightsLikeScikitLearn() {
        // 5 samples, 4 of class 0 and 1 of class 1: n / (C n_c) = 5/8 and 5/2.
        assertArrayEquals(new double[] {0.625, 2.5}, SdssData.balancedWeights(new long[] {0, 0, 1, 0, 0}, 2), 1e-12);
    }

    @Test
    void bundleRoundTripGivesTheSamePredictions(@TempDir Path dir) throws Exception {
        Tensor.manualSeed(5);
        Tensor raw = Tensor.rand(20, 9).mul(5).add(15);
        Standardizer st = Standardizer.fit(raw);
        SdssModel m = new SdssModel(SdssModel.mlp(9, new int[] {16, 8}, 0.1, 3), st, 5.0,
                SdssData.Task.THREE_CLASS, SdssData.FEATURES, new int[] {16, 8}, 0.1);
        Path file = dir.resolve("sdss-three-class.safetensors");
        m.save(file, Map.of("note", "test"));
        SdssModel back = SdssModel.load(dir); // the folder holding one bundle
        assertEquals(SdssData.Task.THREE_CLASS, back.task());
        assertEquals(5.0, back.inputClip());
        assertArrayEquals(st.mean(), back.standardizer().mean(), 0);
        double[][] a = m.predictProba(raw);
        double[][] b = back.predictProba(raw);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 1e-12);
            assertEquals(1.0, a[i][0] + a[i][1] + a[i][2], 1e-9);
        }
        Files.writeString(dir.resolve("sdss-other.safetensors"), "x");
        assertThrows(IllegalArgumentException.class, () -> SdssModel.load(dir));
    }

    @Test
    void priorCorrectionShiftsTheOutputBias() {
        Tensor.manualSeed(3);
        var net = SdssModel.mlp(9, new int[] {4}, 0, 2);
        var last = (dev.deneb.nn.Linear) ((dev.deneb.nn.Sequential) net).get(2);
        double[] before = last.bias.toDoubleArray();
        SdssRun.correctPriors(net, new double[] {0.5, 2.0});
        double[] after = last.bias.toDoubleArray();
        assertEquals(before[0] - Math.log(0.5), after[0], 1e-6);
        assertEquals(before[1] - Math.log(2.0), after[1], 1e-6);
    }

    @Test
    void summaryShowsMeanAndStd() {
        var s1 = new SdssRun.Scores(0.98, 0.97, 0.96, 0.995, 0.97, 0.05);
        var s2 = new SdssRun.Scores(0.99, 0.97, 0.96, 0.997, 0.97, 0.05);
        String table = SdssCommand.summary(Map.of("Deneb MLP", List.of(s1, s2)), 2);
        assertTrue(table.contains("98.50 ± 0.71"), table);
        assertTrue(table.contains("0.99600 ± 0.00141"), table);
        assertEquals("0.5000", SdssCommand.stat(List.of(s1), s -> 0.5, 4));
    }
}
