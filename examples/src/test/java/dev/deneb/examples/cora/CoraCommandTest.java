package dev.deneb.examples.cora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.deneb.data.DataPaths;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Cora loading and a short GCN run (skipped when ../shared/data/cora is absent). */
class CoraCommandTest {
    private static CoraData data() {
        Optional<Path> dir = DataPaths.find("cora");
        assumeTrue(dir.isPresent(), "Cora data not found: " + DataPaths.describeSearch());
        return CoraData.load(dir.get());
    }

    @Test
    void loadsThePlanetoidSplit() {
        CoraData d = data();
        assertEquals(2708, d.numNodes());
        assertEquals(1433, d.numFeatures());
        assertEquals(7, d.numClasses());
        assertEquals(10556, d.edgeIndex().size(1));
        assertEquals(140, d.train().numel());
        assertEquals(500, d.val().numel());
        assertEquals(1000, d.test().numel());
        assertEquals(2708.0, d.features().sum().item(), 1e-2);  // every row sums to 1
    }

    @Test
    void shortGcnRunLearns() {
        CoraData d = data();
        CoraCommand.Run r = CoraCommand.train(d, CoraCommand.Model.gcn, 0, 60, 100);
        assertTrue(r.testAccuracy() > 0.70, "test accuracy " + r.testAccuracy());
    }
}
