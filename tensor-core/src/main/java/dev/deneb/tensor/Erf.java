package dev.deneb.tensor;

/** The error function to double precision (Java's Math has none): a Taylor series near 0, a continued fraction for erfc in the tails. */
public final class Erf {
    private Erf() {}

    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax < 2.5) {
            // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)); the terms shrink fast for |x| < 2.5.
            double term = x;
            double sum = x;
            double x2 = x * x;
            for (int n = 1; n < 100; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return 2.0 / Math.sqrt(Math.PI) * sum;
        }
        double r = 1.0 - erfcTail(ax);
        return x < 0 ? -r : r;
    }

    /** erfc(x) for x >= 2.5: e^(-x^2) / (sqrt(pi) · K), K = x + (1/2)/(x + (2/2)/(x + (3/2)/(x + …))) by Lentz's method. */
    private static double erfcTail(double x) {
        if (x > 27) {
            return 0.0;
        }
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 200; n++) {
            double an = n / 2.0;
            double bn = x;
            d = bn + an * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = bn + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }
}
