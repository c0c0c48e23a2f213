package org.nucleispark.report;

import java.util.function.IntPredicate;

/**
 * Draws a prediction's errors onto its image as one-pixel contours: predictions matched at
 * IoU > 0.7 (true positives) in green, unmatched predictions (false positives) in magenta, and true
 * nuclei that no prediction matches (false negatives) in yellow. Matched true nuclei are not drawn:
 * their prediction's green contour already sits on them, and a second line would hide it.
 *
 * <p>A contour pixel is an instance pixel with a 4-neighbour of another label (background included;
 * outside the image counts as another label, so nuclei cut by the border are closed). False
 * negatives are drawn first, so where a missed nucleus and a prediction share a boundary the
 * prediction's colour wins. Green and magenta stay apart for the common red–green colour blindness.
 */
public final class OverlayRenderer {
    public static final int[] TP = {0, 230, 0};
    public static final int[] FP = {255, 0, 255};
    public static final int[] FN = {255, 230, 0};

    private OverlayRenderer() {}

    /**
     * @param rgb the image as interleaved 8-bit RGB, {@code 3 * w * h} bytes, row-major; not modified
     * @param truth true labels, row-major, 0 = background
     * @param truthMatched whether the true nucleus with this label is matched
     * @param pred predicted labels, row-major, 0 = background
     * @param predMatched whether the prediction with this label is matched
     * @return a new RGB array with the contours drawn
     */
    public static byte[] render(byte[] rgb, int w, int h, int[] truth, IntPredicate truthMatched,
                                int[] pred, IntPredicate predMatched) {
        return render(rgb, w, h, truth, truthMatched, pred, predMatched, 1);
    }

    /**
     * Contour width for an image shown at about a third of a page: one pixel up to ~500 px, thicker for
     * larger images, whose one-pixel lines would vanish when scaled down for the page.
     */
    public static int thicknessFor(int w, int h) {
        return Math.max(1, (int) Math.round(Math.max(w, h) / 350.0));
    }

    /** As {@link #render(byte[], int, int, int[], IntPredicate, int[], IntPredicate)}, with contours
     *  {@code thickness} px wide, drawn inside each instance. */
    public static byte[] render(byte[] rgb, int w, int h, int[] truth, IntPredicate truthMatched,
                                int[] pred, IntPredicate predMatched, int thickness) {
        if (rgb.length != 3 * w * h || truth.length != w * h || pred.length != w * h) {
            throw new IllegalArgumentException("sizes disagree: " + rgb.length + " RGB bytes, " + truth.length
                    + " true and " + pred.length + " predicted labels for " + w + "x" + h);
        }
        byte[] out = rgb.clone();
        for (int i = 0; i < truth.length; i++) {
            int l = truth[i];
            if (l > 0 && !truthMatched.test(l) && onContour(truth, w, h, i, thickness)) paint(out, i, FN);
        }
        for (int i = 0; i < pred.length; i++) {
            int l = pred[i];
            if (l > 0 && onContour(pred, w, h, i, thickness)) paint(out, i, predMatched.test(l) ? TP : FP);
        }
        return out;
    }

    /** Whether a pixel at a 4-neighbour distance of at most {@code t} has another label (or lies outside). */
    static boolean onContour(int[] labels, int w, int h, int i, int t) {
        int x = i % w;
        int y = i / w;
        int l = labels[i];
        for (int d = 1; d <= t; d++) {
            if (x - d < 0 || y - d < 0 || x + d >= w || y + d >= h
                    || labels[i - d] != l || labels[i + d] != l || labels[i - d * w] != l || labels[i + d * w] != l) {
                return true;
            }
        }
        return false;
    }

    private static void paint(byte[] rgb, int i, int[] colour) {
        rgb[3 * i] = (byte) colour[0];
        rgb[3 * i + 1] = (byte) colour[1];
        rgb[3 * i + 2] = (byte) colour[2];
    }
}
