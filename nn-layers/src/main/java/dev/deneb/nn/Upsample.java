package dev.deneb.nn;

import dev.deneb.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Resizes the spatial axes of {@code [N, C, L]}, {@code [N, C, H, W]} or {@code [N, C, D, H, W]} (PyTorch's
 * {@code nn.Upsample}, the module form of {@link Functional#interpolate}) to a given size or by a scale factor,
 * with PyTorch's index formulas: nearest takes source index {@code floor(dst · scale)} (scale = 1 / scaleFactor
 * when a factor is given, else in / out), linear and bilinear interpolate between the two nearest source positions,
 * {@code (dst + 0.5) · scale - 0.5} or, with {@code alignCorners}, {@code dst · (in - 1) / (out - 1)}.
 *
 * <pre>{@code
 * new Upsample(Upsample.Options.defaults().scaleFactor(2));
 * new Upsample(Upsample.Options.defaults().size(32, 48).mode(Upsample.Mode.BILINEAR).alignCorners(true));
 * }</pre>
 */
public final class Upsample extends Layer {
    /** The interpolation: nearest (any of 1–3 spatial axes), linear (3-D inputs), bilinear (4-D inputs). */
    public enum Mode {
        NEAREST, LINEAR, BILINEAR;

        /** PyTorch's name of the mode ("nearest", "linear", "bilinear"). */
        public String torchName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the mode interpolates (and takes {@code alignCorners}). */
        public boolean interpolating() {
            return this != NEAREST;
        }
    }

    /**
     * PyTorch's arguments of {@code nn.Upsample} and {@code F.interpolate}; setters return a new record. Exactly one
     * of {@code size} and {@code scaleFactor} must be given by the time the options are used; setting one clears the
     * other. A single value applies to every spatial axis.
     *
     * @param size                 the output's spatial size, or null (default null)
     * @param scaleFactor          multiplier of each spatial size (output = floor(in · factor)), or null
     * @param mode                 the interpolation (default {@link Mode#NEAREST})
     * @param alignCorners         linear modes only: map the corner pixels' centres onto each other (default false)
     * @param recomputeScaleFactor compute the output size from the factor, then interpolate as if that size had been
     *                             given (default false: the factor itself enters the index formula, as PyTorch)
     */
    public record Options(int[] size, double[] scaleFactor, Mode mode, boolean alignCorners,
                          boolean recomputeScaleFactor) {
        public Options {
            OptionChecks.requireNonNull("Upsample.Options", "mode", mode, "a Mode");
            if (size != null && scaleFactor != null) {
                throw new IllegalArgumentException("Upsample.Options: give either size or scaleFactor, not both");
            }
            if (size != null && (size.length == 0 || Arrays.stream(size).anyMatch(s -> s < 1))) {
                throw new IllegalArgumentException("Upsample.Options: size must have at least one value, each >= 1,"
                        + " got " + Arrays.toString(size));
            }
            if (scaleFactor != null && (scaleFactor.length == 0
                    || Arrays.stream(scaleFactor).anyMatch(s -> !(s > 0) || Double.isInfinite(s)))) {
                throw new IllegalArgumentException("Upsample.Options: scaleFactor must have at least one value, each"
                        + " finite and > 0, got " + Arrays.toString(scaleFactor));
            }
            size = size == null ? null : size.clone();
            scaleFactor = scaleFactor == null ? null : scaleFactor.clone();
        }

        /** No size and no factor yet, nearest, corners not aligned, the factor used as given. */
        public static Options defaults() {
            return new Options(null, null, Mode.NEAREST, false, false);
        }

        @Override
        public int[] size() {
            return size == null ? null : size.clone();
        }

        @Override
        public double[] scaleFactor() {
            return scaleFactor == null ? null : scaleFactor.clone();
        }

        /** The output's spatial size (one value for every axis, or one per axis); clears the scale factor. */
        public Options size(int... s) {
            return new Options(s, null, mode, alignCorners, recomputeScaleFactor);
        }

        /** The factor (one for every axis, or one per axis); clears the size. */
        public Options scaleFactor(double... f) {
            return new Options(null, f, mode, alignCorners, recomputeScaleFactor);
        }

        public Options mode(Mode m) {
            return new Options(size, scaleFactor, m, alignCorners, recomputeScaleFactor);
        }

        public Options alignCorners(boolean on) {
            return new Options(size, scaleFactor, mode, on, recomputeScaleFactor);
        }

        public Options recomputeScaleFactor(boolean on) {
            return new Options(size, scaleFactor, mode, alignCorners, on);
        }

        /** Checks what only the complete options can tell: one of size and factor, corners only when interpolating. */
        void checkComplete(String op) {
            if (size == null && scaleFactor == null) {
                throw new IllegalArgumentException(op + ": either size or scaleFactor must be given");
            }
            if (alignCorners && !mode.interpolating()) {
                throw new IllegalArgumentException(op + ": alignCorners can only be set with the interpolating modes"
                        + " (LINEAR, BILINEAR), got mode " + mode);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Options other && Arrays.equals(size, other.size)
                    && Arrays.equals(scaleFactor, other.scaleFactor) && mode == other.mode
                    && alignCorners == other.alignCorners && recomputeScaleFactor == other.recomputeScaleFactor;
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(size), Arrays.hashCode(scaleFactor), mode, alignCorners,
                    recomputeScaleFactor);
        }

        @Override
        public String toString() {
            return "Upsample.Options[size=" + Arrays.toString(size) + ", scaleFactor=" + Arrays.toString(scaleFactor)
                    + ", mode=" + mode + ", alignCorners=" + alignCorners + ", recomputeScaleFactor="
                    + recomputeScaleFactor + "]";
        }
    }

    public final Options options;

    public Upsample(Options options) {
        OptionChecks.requireOptions("Upsample", options);
        options.checkComplete("Upsample");
        this.options = options;
    }

    /** Scales every spatial axis by {@code scaleFactor} with the given mode. */
    public Upsample(double scaleFactor, Mode mode) {
        this(Options.defaults().scaleFactor(scaleFactor).mode(mode));
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.interpolate(input, options);
    }

    @Override
    protected String describe() {
        return (options.size != null ? "size=" + Arrays.toString(options.size)
                : "scaleFactor=" + Arrays.toString(options.scaleFactor)) + ", mode=" + options.mode().torchName()
                + (options.alignCorners() ? ", alignCorners=true" : "");
    }
}
