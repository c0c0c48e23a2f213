package org.nucleispark.ensemble;

import java.util.List;
import org.nucleispark.image.GreyConverter;
import org.nucleispark.image.Image;
import org.nucleispark.image.PercentileNormaliser;

/**
 * Optional candidate features from the image's pixels: how bright a candidate is, how uniform, and
 * how much brighter than a thin ring around it. Off by default: the thesis found that intensities
 * made its IoU regressor worse (they describe the imaging modality more than the quality of a
 * mask), and {@code train-ensemble --intensity-features} lets anyone measure that again on their data.
 *
 * <p>Intensities are the mean over channels after the models' per-image percentile scaling (1st to
 * 99.8th percentile to [0, 1]), so 8- and 16-bit images and any exposure are on one scale; no
 * polarity flip, since a tree can split either way.
 */
public final class IntensityFeatures {
    public static final List<String> NAMES = List.of("intensity_mean", "intensity_std", "intensity_contrast");

    /** Width of the ring of background around a candidate, px (Chebyshev distance from its mask). */
    static final int RING = 2;

    private IntensityFeatures() {}

    /** The image as the features see it: one plane, percentile-scaled to [0, 1]. */
    public static float[] plane(Image image) {
        Image grey = new Image(image.width(), image.height(), new float[][] {GreyConverter.mean(image)}, image.bitDepth());
        return new PercentileNormaliser(1.0, 99.8).normalise(grey, 1)[0];
    }

    /** One row (mean, std, contrast) per candidate, in the order given. */
    public static double[][] of(List<Candidate> candidates, float[] plane, int width, int height) {
        double[][] rows = new double[candidates.size()][];
        for (int i = 0; i < rows.length; i++) rows[i] = of(candidates.get(i), plane, width, height);
        return rows;
    }

    static double[] of(Candidate c, float[] plane, int width, int height) {
        double sum = 0, sq = 0;
        for (int p : c.pixels()) {
            sum += plane[p];
            sq += (double) plane[p] * plane[p];
        }
        int n = c.area();
        double mean = sum / n;
        double std = Math.sqrt(Math.max(sq / n - mean * mean, 0));
        // the ring: pixels within RING of the mask (a square dilation) but not in it, inside the image
        int x0 = Math.max(c.shape().x0() - RING, 0), y0 = Math.max(c.shape().y0() - RING, 0);
        int x1 = Math.min(c.shape().x1() + RING, width), y1 = Math.min(c.shape().y1() + RING, height);
        int w = x1 - x0, h = y1 - y0;
        boolean[] in = new boolean[w * h];
        for (int p : c.pixels()) in[(p / width - y0) * w + (p % width - x0)] = true;
        boolean[] rows = dilateRows(in, w, h);
        double ringSum = 0;
        int ringCount = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (in[y * w + x]) continue;
                boolean near = false;
                for (int dy = Math.max(y - RING, 0); dy <= Math.min(y + RING, h - 1) && !near; dy++) near = rows[dy * w + x];
                if (near) {
                    ringSum += plane[(y + y0) * width + x + x0];
                    ringCount++;
                }
            }
        }
        // a candidate filling its whole surroundings (at the image border) has no ring: no contrast
        double contrast = ringCount == 0 ? 0 : mean - ringSum / ringCount;
        return new double[] {mean, std, contrast};
    }

    /** Horizontal half of a (2 RING + 1)² square dilation. */
    private static boolean[] dilateRows(boolean[] in, int w, int h) {
        boolean[] out = new boolean[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!in[y * w + x]) continue;
                for (int dx = Math.max(x - RING, 0); dx <= Math.min(x + RING, w - 1); dx++) out[y * w + dx] = true;
            }
        }
        return out;
    }
}
