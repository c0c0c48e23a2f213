package org.nucleispark.segment;

import java.util.List;

/**
 * Canonical planes of several windows of one large image stacked top to bottom, one background row apart, so
 * that one {@link NucleusDiameter} estimate pools the nuclei of all of them: a single Otsu threshold (the
 * windows were normalised with the same whole-image bounds) and the median over all their components. The
 * separating row (and the padding right of a narrower window) holds the smallest value of any window, so no
 * component reaches across it. One window is its own mosaic, unchanged.
 *
 * @param plane  width × height, row-major
 */
record WindowMosaic(float[] plane, int width, int height) {

    /** @param planes each window's canonical plane, row-major; {@code widths[i]} × {@code heights[i]} */
    static WindowMosaic of(List<float[]> planes, int[] widths, int[] heights) {
        if (planes.isEmpty()) throw new IllegalArgumentException("no windows");
        if (planes.size() == 1) return new WindowMosaic(planes.get(0), widths[0], heights[0]);
        int width = 0, height = planes.size() - 1;
        float background = Float.POSITIVE_INFINITY;
        for (int i = 0; i < planes.size(); i++) {
            width = Math.max(width, widths[i]);
            height += heights[i];
            for (float v : planes.get(i)) background = Math.min(background, v);
        }
        float[] out = new float[width * height];
        java.util.Arrays.fill(out, background);
        int y0 = 0;
        for (int i = 0; i < planes.size(); i++) {
            float[] p = planes.get(i);
            for (int y = 0; y < heights[i]; y++) System.arraycopy(p, y * widths[i], out, (y0 + y) * width, widths[i]);
            y0 += heights[i] + 1;
        }
        return new WindowMosaic(out, width, height);
    }
}
