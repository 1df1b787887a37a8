package dev.deneb.spark.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;

/** Probabilities and the predicted class from one row's logits, in double precision. */
final class Logits {
    private Logits() {}

    /** Softmax, shifted by the largest logit so {@code exp} cannot overflow. */
    static Vector softmax(Vector logits) {
        double[] z = logits.toArray();
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return Vectors.dense(p);
    }

    /** The index of the largest logit (the first, on ties). */
    static Double argmax(Vector logits) {
        return (double) logits.argmax();
    }
}
