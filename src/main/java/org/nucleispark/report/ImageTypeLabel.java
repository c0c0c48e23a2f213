package org.nucleispark.report;

import org.nucleispark.image.ImageAppearance;

/**
 * Words for a cluster of images, read off its centre in {@link ImageAppearance} space, so the table
 * says "dark background, grey" rather than only "type 2".
 */
public final class ImageTypeLabel {
    /** Channel means further apart than this (on 0–1) mean a coloured image, e.g. an H&E stain. */
    static final double COLOUR_SPREAD = 0.04;

    private ImageTypeLabel() {}

    public static String describe(double[] centre) {
        double lowHalf = 0;
        double total = 0;
        for (int b = 0; b < ImageAppearance.BINS; b++) {
            total += centre[b];
            if (b < ImageAppearance.BINS / 2) lowHalf += centre[b];
        }
        boolean dark = lowHalf >= total / 2;
        String background = dark ? "dark background" : "bright background";
        double r = centre[ImageAppearance.BINS];
        double g = centre[ImageAppearance.BINS + 1];
        double b = centre[ImageAppearance.BINS + 2];
        double spread = Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
        // the share of the field on the other side of mid-grey, roughly how much of it nuclei cover:
        // what tells sparse from crowded fields of the same modality apart
        long cover = Math.round(100 * (dark ? total - lowHalf : lowHalf) / Math.max(total, 1e-12));
        return background + ", " + (spread > COLOUR_SPREAD ? "colour" : "grey") + ", ~" + cover + " % " + (dark ? "bright" : "dark");
    }
}
