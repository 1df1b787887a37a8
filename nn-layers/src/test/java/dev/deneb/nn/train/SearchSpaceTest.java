package dev.deneb.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

    @Test
    void gridIsEveryCombinationFirstDimensionSlowest() {
        List<Map<String, Object>> grid = values(new SearchSpace().choice("hiddenLayers", "16", "32,16")
                .choice("learningRate", 1e-3, 1e-2).intRange("epochs", 2, 4).grid());
        assertEquals(2 * 2 * 3, grid.size());
        assertEquals(Map.of("hiddenLayers", "16", "learningRate", 1e-3, "epochs", 2), grid.get(0));
        assertEquals(Map.of("hiddenLayers", "16", "learningRate", 1e-3, "epochs", 3), grid.get(1));
        assertEquals(Map.of("hiddenLayers", "32,16", "learningRate", 1e-2, "epochs", 4), grid.get(11));
        assertEquals(List.of("hiddenLayers", "learningRate", "epochs"), List.copyOf(grid.get(5).keySet()));
        assertEquals(12, grid.stream().distinct().count());
    }

    @Test
    void gridFromAMapOfChoices() {
        Map<String, List<?>> choices = new LinkedHashMap<>();
        choices.put("dropout", List.of(0.0, 0.2));
        choices.put("batchSize", List.of(32));
        assertEquals(List.of(Map.of("dropout", 0.0, "batchSize", 32), Map.of("dropout", 0.2, "batchSize", 32)),
                values(SearchSpace.of(choices).grid()));
    }

    @Test
    void gridRefusesAContinuousRangeByName() {
        SearchSpace space = new SearchSpace().choice("epochs", 3).logUniform("learningRate", 1e-4, 1e-1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, space::grid);
        assertTrue(e.getMessage().contains("'learningRate' is a continuous range"), e.getMessage());
    }

    @Test
    void randomSearchRepeatsWithItsSeedAndStaysInRange() {
        SearchSpace space = new SearchSpace().logUniform("learningRate", 1e-4, 1e-1).intRange("epochs", 2, 4)
                .uniform("dropout", 0, 0.5).choice("hiddenLayers", "8", "16,8");
        List<Map<String, Object>> a = values(space.sample(50, 42));
        assertEquals(a, values(space.sample(50, 42)));
        assertNotEquals(a, values(space.sample(50, 43)));
        for (Map<String, Object> t : a) {
            double lr = (Double) t.get("learningRate");
            int epochs = (Integer) t.get("epochs");
            double dropout = (Double) t.get("dropout");
            assertTrue(lr >= 1e-4 && lr < 1e-1, "lr " + lr);
            assertTrue(epochs >= 2 && epochs <= 4, "epochs " + epochs);
            assertTrue(dropout >= 0 && dropout < 0.5, "dropout " + dropout);
        }
        // log-uniform: about a third of the draws in each decade, not 90 % in the top one
        long lowDecade = a.stream().filter(t -> (Double) t.get("learningRate") < 1e-3).count();
        assertTrue(lowDecade > 5 && lowDecade < 30, lowDecade + " of 50 below 1e-3");
        assertEquals(3, a.stream().map(t -> t.get("epochs")).distinct().count(), "both ends of intRange drawn");
    }

    @Test
    void badSpacesSayWhatIsWrong() {
        assertThrows(IllegalArgumentException.class, () -> new SearchSpace().logUniform("lr", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SearchSpace().intRange("epochs", 5, 2));
        assertThrows(IllegalArgumentException.class, () -> new SearchSpace().choice("x", List.of()));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> new SearchSpace().choice("x", 1).choice("x", 2));
        assertTrue(twice.getMessage().contains("'x' is defined twice"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SearchSpace().grid());
    }

    private static List<Map<String, Object>> values(List<HyperParams> points) {
        return points.stream().map(HyperParams::values).toList();
    }

    @Test
    void aSpaceSurvivesSerialization() throws Exception {
        SearchSpace space = new SearchSpace().choice("h", new int[] {8}).intRange("e", 1, 2).logUniform("lr", 1e-3, 1);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(space);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            SearchSpace back = (SearchSpace) in.readObject();
            assertEquals(space.sample(3, 1).toString(), back.sample(3, 1).toString());
        }
    }
}
