package org.nucleispark.postprocess;

/**
 * 4-connected component labelling of a boolean mask (labels 1..n in raster order of first pixel).
 * Written here rather than through OpenCV because the inputs are Java arrays already: a round trip
 * through Mats would cost two copies of the image for a linear-time scan.
 */
public final class ConnectedComponents {
    private ConnectedComponents() {}

    public static int[] label4(boolean[] mask, int w, int h) {
        int[] labels = new int[w * h];
        int[] stack = new int[w * h];
        int next = 0;
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || labels[start] != 0) continue;
            int label = ++next;
            int sp = 0;
            stack[sp++] = start;
            labels[start] = label;
            while (sp > 0) {
                int p = stack[--sp];
                int x = p % w;
                int y = p / w;
                if (x > 0 && mask[p - 1] && labels[p - 1] == 0) { labels[p - 1] = label; stack[sp++] = p - 1; }
                if (x < w - 1 && mask[p + 1] && labels[p + 1] == 0) { labels[p + 1] = label; stack[sp++] = p + 1; }
                if (y > 0 && mask[p - w] && labels[p - w] == 0) { labels[p - w] = label; stack[sp++] = p - w; }
                if (y < h - 1 && mask[p + w] && labels[p + w] == 0) { labels[p + w] = label; stack[sp++] = p + w; }
            }
        }
        return labels;
    }
}
