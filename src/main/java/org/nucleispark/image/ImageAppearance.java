package org.nucleispark.image;

/**
 * A short description of how an image looks, for grouping a corpus into image types: a 16-bin
 * histogram of the grey values after per-image percentile normalisation (1st–99.8th, as the models
 * see them), as fractions of the pixels, followed by the mean of each RGB channel on a 0–1 scale.
 *
 * <p>The histogram tells dark-background fluorescence (mass in the low bins) from bright-background
 * brightfield and H&amp;E (mass in the high bins) and dense fields from sparse ones, whatever the
 * exposure; the channel means tell stained tissue (red–purple) from grey or single-colour images,
 * which the normalised grey histogram alone cannot.
 */
public final class ImageAppearance {
    public static final int BINS = 16;
    public static final int SIZE = BINS + 3;
    private static final PercentileNormaliser NORMALISER = new PercentileNormaliser(1, 99.8);

    private ImageAppearance() {}

    public static double[] of(Image image) {
        double[] f = new double[SIZE];
        float[] grey = NORMALISER.normalise(image, 1)[0];
        for (float v : grey) f[Math.min(BINS - 1, (int) (v * BINS))]++;
        for (int b = 0; b < BINS; b++) f[b] /= grey.length;
        double full = fullScale(image);
        for (int c = 0; c < 3; c++) {
            // grey images count as equal R, G and B; a two-channel image as its first channel
            float[] p = image.plane(c < image.channels() && image.channels() >= 3 ? c : 0);
            double sum = 0;
            for (float v : p) sum += v;
            f[BINS + c] = Math.min(1, sum / p.length / full);
        }
        return f;
    }

    /** The value of a saturated pixel: 2^bits - 1 for integer images, the largest value for float ones. */
    private static double fullScale(Image image) {
        if (image.bitDepth() > 0 && image.bitDepth() <= 16) return (1 << image.bitDepth()) - 1;
        double max = 0;
        for (int c = 0; c < image.channels(); c++) {
            for (float v : image.plane(c)) max = Math.max(max, v);
        }
        return max > 0 ? max : 1;
    }
}
