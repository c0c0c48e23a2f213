package org.nucleispark.measure;

/**
 * scikit-image's {@code measure.perimeter(image, neighborhood=4)}: the border (object minus its
 * erosion by a cross, outside counted as background) is convolved with [[10,2,10],[2,1,2],[10,2,10]]
 * and each resulting code is weighted (straight runs 1, diagonal runs sqrt 2, corners (1+sqrt 2)/2),
 * which approximates the contour through border pixel centres far better than a pixel-edge count.
 */
final class Perimeter {
    private static final double[] WEIGHTS = new double[50];

    static {
        for (int i : new int[] {5, 7, 15, 17, 25, 27}) WEIGHTS[i] = 1;
        WEIGHTS[21] = Math.sqrt(2);
        WEIGHTS[33] = Math.sqrt(2);
        WEIGHTS[13] = (1 + Math.sqrt(2)) / 2;
        WEIGHTS[23] = (1 + Math.sqrt(2)) / 2;
    }

    private Perimeter() {}

    static double of(boolean[] mask, int w, int h) {
        boolean[] border = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!mask[y * w + x]) continue;
                boolean interior = at(mask, w, h, x - 1, y) && at(mask, w, h, x + 1, y)
                        && at(mask, w, h, x, y - 1) && at(mask, w, h, x, y + 1);
                border[y * w + x] = !interior;
            }
        }
        double total = 0;
        // only codes centred on a border pixel (odd codes) carry weight, so the box suffices
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int code = (at(border, w, h, x, y) ? 1 : 0)
                        + 2 * ((at(border, w, h, x - 1, y) ? 1 : 0) + (at(border, w, h, x + 1, y) ? 1 : 0)
                        + (at(border, w, h, x, y - 1) ? 1 : 0) + (at(border, w, h, x, y + 1) ? 1 : 0))
                        + 10 * ((at(border, w, h, x - 1, y - 1) ? 1 : 0) + (at(border, w, h, x + 1, y - 1) ? 1 : 0)
                        + (at(border, w, h, x - 1, y + 1) ? 1 : 0) + (at(border, w, h, x + 1, y + 1) ? 1 : 0));
                if (code < WEIGHTS.length) total += WEIGHTS[code];
            }
        }
        return total;
    }

    private static boolean at(boolean[] m, int w, int h, int x, int y) {
        return x >= 0 && y >= 0 && x < w && y < h && m[y * w + x];
    }
}
