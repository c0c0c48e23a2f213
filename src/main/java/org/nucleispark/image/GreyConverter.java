package org.nucleispark.image;

/**
 * Reduces an image to one plane in which nuclei are bright.
 *
 * <p>Polarity is decided from the data, not from metadata that archives rarely carry: in every
 * modality we handle, background covers most of the field, so the median pixel is background. When
 * the median lies above the Otsu threshold, the background is the bright class (H&amp;E, brightfield)
 * and the plane is inverted so that nuclei are bright as in fluorescence.
 */
public final class GreyConverter {
    private GreyConverter() {}

    /** Mean over channels (alpha is never a channel here). */
    public static float[] mean(Image image) {
        int n = image.width() * image.height();
        if (image.channels() == 1) return image.plane(0).clone();
        float[] out = new float[n];
        int ch = Math.min(image.channels(), 3);
        for (int c = 0; c < ch; c++) {
            float[] p = image.plane(c);
            for (int i = 0; i < n; i++) out[i] += p[i];
        }
        for (int i = 0; i < n; i++) out[i] /= ch;
        return out;
    }

    /** True when the background is brighter than the objects, judged on a [0,1] plane. */
    public static boolean darkObjectsOnBright(float[] unitPlane) {
        int[] hist = Otsu.histogram(unitPlane, 256);
        int threshold = Otsu.threshold(hist);
        int median = Otsu.median(hist);
        return median > threshold;
    }
}
