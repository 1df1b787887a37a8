package dev.deneb.decomposition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deneb.nn.io.SafeTensors;
import dev.deneb.tensor.Tensor;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PCA against scikit-learn's values in {@code decomposition/pca_reference.safetensors}, written by
 * {@code nn-layers/src/test/python/make_pca_reference.py} (the cases are listed there).
 */
class PcaReferenceTest {
    static SafeTensors.Contents reference() throws URISyntaxException {
        return SafeTensors.load(Path.of(PcaReferenceTest.class.getResource(
                "/decomposition/pca_reference.safetensors").toURI()));
    }

    static PCA.Options options(String name) {
        return switch (name) {
            case "k3" -> PCA.Options.defaults().components(3);
            case "white2" -> PCA.Options.defaults().components(2).whiten(true);
            case "frac90" -> PCA.Options.defaults().varianceFraction(0.9);
            case "full" -> PCA.Options.defaults();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3", "white2", "frac90", "full"})
    void matchesScikitLearn(String name) throws Exception {
        SafeTensors.Contents ref = reference();
        Map<String, Tensor> t = ref.tensors();
        PCA pca = PCA.fit(t.get("x"), options(name));
        int k = Integer.parseInt(ref.metadata().get(name + ".k"));
        assertEquals(k, pca.nComponents(), "components kept");
        String p = name + ".";
        assertArrayEquals(t.get(p + "components").toDoubleArray(), pca.components().toDoubleArray(), 1e-9,
                "components");
        assertArrayEquals(t.get(p + "mean").toDoubleArray(), pca.mean(), 1e-10, "mean");
        assertArrayEquals(t.get(p + "explained_variance").toDoubleArray(), pca.explainedVariance(), 1e-9,
                "explained variance");
        assertArrayEquals(t.get(p + "explained_variance_ratio").toDoubleArray(), pca.explainedVarianceRatio(),
                1e-12, "explained variance ratio");
        assertArrayEquals(t.get(p + "singular_values").toDoubleArray(), pca.singularValues(), 1e-9,
                "singular values");
        Tensor z = pca.transform(t.get("x_new"));
        assertArrayEquals(t.get(p + "transform").toDoubleArray(), z.toDoubleArray(), 1e-9, "transform");
        assertArrayEquals(t.get(p + "inverse").toDoubleArray(), pca.inverseTransform(z).toDoubleArray(), 1e-9,
                "inverse transform");
    }
}
