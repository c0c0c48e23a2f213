package org.nucleispark.postprocess;

import org.nucleispark.image.LabelImage;
import java.util.Arrays;

/**
 * The clean-up every segmenter shares (docs/architecture.md, post-process): drop objects smaller than a minimum
 * area, fill holes inside each instance, and renumber labels 1..n in raster order so that label
 * images and instance ids are stable from run to run.
 */
public final class InstanceCleaner {
    /** DSB 2018 annotations have no nucleus under 10 px; smaller objects are noise. */
    public static final int DEFAULT_MIN_AREA = 10;

    private final int minArea;

    public InstanceCleaner(int minArea) {
        this.minArea = minArea;
    }

    public LabelImage clean(LabelImage in) {
        int[] labels = in.labels().clone();
        int w = in.width();
        int h = in.height();
        fillHoles(labels, w, h);
        removeSmall(labels, minArea);
        return new LabelImage(w, h, relabelSequential(labels));
    }

    /** A cleaned label image and, for each new label, the label it had before ({@code source[0]} = 0). */
    public record Cleaned(LabelImage labels, int[] source) {}

    /**
     * The order of the Python reference for detectors ({@code instances_from_detections}): drop
     * objects under {@code minArea}, then fill holes object by object in label order, then renumber
     * 1..n keeping the labels' order (not raster order), so label order stays score order.
     */
    public static Cleaned cleanInLabelOrder(LabelImage in, int minArea) {
        int[] labels = in.labels().clone();
        removeSmall(labels, minArea);
        fillHoles(labels, in.width(), in.height());
        int max = 0;
        for (int l : labels) max = Math.max(max, l);
        boolean[] present = new boolean[max + 1];
        for (int l : labels) present[l] = true;
        int[] map = new int[max + 1];
        int n = 0;
        for (int l = 1; l <= max; l++) if (present[l]) map[l] = ++n;
        int[] source = new int[n + 1];
        for (int l = 1; l <= max; l++) if (present[l]) source[map[l]] = l;
        for (int i = 0; i < labels.length; i++) labels[i] = map[labels[i]];
        return new Cleaned(new LabelImage(in.width(), in.height(), labels), source);
    }

    /** Sets to 0 every label whose pixel count is below {@code minArea}. */
    static void removeSmall(int[] labels, int minArea) {
        int max = 0;
        for (int l : labels) max = Math.max(max, l);
        int[] area = new int[max + 1];
        for (int l : labels) area[l]++;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] > 0 && area[labels[i]] < minArea) labels[i] = 0;
        }
    }

    /**
     * Fills background pixels enclosed by a single instance (scipy's binary_fill_holes per object).
     * Each instance is handled inside its bounding box grown by one pixel: background reachable from
     * that frame without crossing the instance is outside; what is left is a hole. Holes are filled
     * only where they are background, so a nucleus lying inside another is kept.
     */
    static void fillHoles(int[] labels, int w, int h) {
        int max = 0;
        for (int l : labels) max = Math.max(max, l);
        if (max == 0) return;
        int[] x0 = new int[max + 1], y0 = new int[max + 1], x1 = new int[max + 1], y1 = new int[max + 1];
        Arrays.fill(x0, Integer.MAX_VALUE);
        Arrays.fill(y0, Integer.MAX_VALUE);
        Arrays.fill(x1, -1);
        Arrays.fill(y1, -1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int l = labels[y * w + x];
                if (l == 0) continue;
                if (x < x0[l]) x0[l] = x;
                if (x > x1[l]) x1[l] = x;
                if (y < y0[l]) y0[l] = y;
                if (y > y1[l]) y1[l] = y;
            }
        }
        for (int l = 1; l <= max; l++) {
            if (x1[l] < 0 || x1[l] - x0[l] < 2 || y1[l] - y0[l] < 2) continue;
            fillHolesOf(labels, w, l, x0[l], y0[l], x1[l], y1[l]);
        }
    }

    private static void fillHolesOf(int[] labels, int w, int label, int bx0, int by0, int bx1, int by1) {
        // padded box: one pixel of virtual outside all round, so the flood starts from one corner
        int bw = bx1 - bx0 + 3;
        int bh = by1 - by0 + 3;
        boolean[] outside = new boolean[bw * bh];
        int[] stack = new int[bw * bh];
        int sp = 0;
        outside[0] = true;
        stack[sp++] = 0;
        while (sp > 0) {
            int p = stack[--sp];
            int px = p % bw;
            int py = p / bw;
            for (int d = 0; d < 4; d++) {
                int qx = px + (d == 0 ? -1 : d == 1 ? 1 : 0);
                int qy = py + (d == 2 ? -1 : d == 3 ? 1 : 0);
                if (qx < 0 || qy < 0 || qx >= bw || qy >= bh) continue;
                int q = qy * bw + qx;
                if (outside[q]) continue;
                int ix = bx0 + qx - 1;
                int iy = by0 + qy - 1;
                boolean inImage = qx > 0 && qy > 0 && qx < bw - 1 && qy < bh - 1;
                if (inImage && labels[iy * w + ix] == label) continue;
                outside[q] = true;
                stack[sp++] = q;
            }
        }
        for (int qy = 1; qy < bh - 1; qy++) {
            for (int qx = 1; qx < bw - 1; qx++) {
                int i = (by0 + qy - 1) * w + (bx0 + qx - 1);
                if (!outside[qy * bw + qx] && labels[i] == 0) labels[i] = label;
            }
        }
    }

    /** Renumbers labels 1..n in order of first appearance in raster order. */
    static int[] relabelSequential(int[] labels) {
        int max = 0;
        for (int l : labels) max = Math.max(max, l);
        int[] map = new int[max + 1];
        int next = 1;
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l == 0) continue;
            if (map[l] == 0) map[l] = next++;
            out[i] = map[l];
        }
        return out;
    }
}
