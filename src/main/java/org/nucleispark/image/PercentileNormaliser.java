package org.nucleispark.image;

import java.io.Serializable;

/**
 * Per-image percentile scaling to [0, 1], the recipe written into each model's {@code model.json}
 * and applied identically by the Python training code: drop alpha (the decoder already did), grey
 * replicated to RGB where the model wants three channels, lo/hi = the given percentiles over all
 * values of all channels together with numpy's default linear interpolation, then
 * {@code clip((x - lo) / max(hi - lo, 1e-6), 0, 1)}.
 *
 * <p>Percentiles rather than min/max make 8- and 16-bit images of any exposure look alike to the
 * models, and ignore the few saturated or dead pixels that would otherwise set the scale.
 */
public final class PercentileNormaliser {
    private final double lowPercentile;
    private final double highPercentile;

    public PercentileNormaliser(double lowPercentile, double highPercentile) {
        if (!(0 <= lowPercentile && lowPercentile < highPercentile && highPercentile <= 100)) {
            throw new IllegalArgumentException("need 0 <= low < high <= 100, got " + lowPercentile + ", " + highPercentile);
        }
        this.lowPercentile = lowPercentile;
        this.highPercentile = highPercentile;
    }

    /** The lo/hi values that {@link #normalise(Image, int)} maps to 0 and 1. */
    public record Bounds(double low, double high) implements Serializable {}

    /** Returns normalised planes; {@code outChannels} 3 replicates a grey image, 1 averages colour. */
    public float[][] normalise(Image image, int outChannels) {
        return normalise(image, outChannels, bounds(image, outChannels));
    }

    /**
     * The percentiles of this image's values, as {@link #normalise(Image, int)} takes them. On a
     * subsampled read of a large image they stand for the whole image, so that each block of it is
     * scaled alike (a block of background must not be stretched to noise).
     */
    public Bounds bounds(Image image, int outChannels) {
        float[][] src = selectChannels(image, outChannels);
        int n = src[0].length;
        double[] all = new double[n * src.length];
        for (int c = 0; c < src.length; c++) for (int i = 0; i < n; i++) all[c * n + i] = src[c][i];
        double[] b = Percentiles.ofReordered(all, lowPercentile, highPercentile);
        return new Bounds(b[0], b[1]);
    }

    /** Scales with given bounds (the whole image's, when {@code image} is one block of it). */
    public float[][] normalise(Image image, int outChannels, Bounds bounds) {
        float[][] src = selectChannels(image, outChannels);
        int n = src[0].length;
        double lo = bounds.low();
        double range = Math.max(bounds.high() - lo, 1e-6);
        float[][] out = new float[src.length][n];
        for (int c = 0; c < src.length; c++) {
            float[] s = src[c];
            float[] o = out[c];
            for (int i = 0; i < n; i++) {
                double v = (s[i] - lo) / range;
                o[i] = (float) (v < 0 ? 0 : (v > 1 ? 1 : v));
            }
        }
        return out;
    }

    private static float[][] selectChannels(Image image, int outChannels) {
        int ch = image.channels();
        if (outChannels == ch) {
            float[][] p = new float[ch][];
            for (int c = 0; c < ch; c++) p[c] = image.plane(c);
            return p;
        }
        if (outChannels == 3 && ch == 1) {
            return new float[][] {image.plane(0), image.plane(0), image.plane(0)};
        }
        if (outChannels == 1) {
            return new float[][] {GreyConverter.mean(image)};
        }
        if (outChannels == 3 && ch == 2) {
            // grey + something: treat the first channel as the signal
            return new float[][] {image.plane(0), image.plane(0), image.plane(0)};
        }
        if (outChannels == 3 && ch > 3) {
            return new float[][] {image.plane(0), image.plane(1), image.plane(2)};
        }
        throw new IllegalArgumentException("cannot map " + ch + " channels to " + outChannels);
    }
}
