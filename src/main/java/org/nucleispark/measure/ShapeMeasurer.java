package org.nucleispark.measure;

import java.util.ArrayList;
import java.util.List;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.Segmentation;
import java.util.Arrays;

/**
 * Measures every instance of a label image in two passes: one over the image for areas, bounding
 * boxes and moments, then one over each instance's bounding box for perimeter and convex hull.
 */
public final class ShapeMeasurer {
    private ShapeMeasurer() {}

    public static List<InstanceFeatures> measure(Segmentation segmentation) {
        LabelImage img = segmentation.labels();
        int w = img.width();
        int h = img.height();
        int[] labels = img.labels();
        int max = img.maxLabel();
        int[] area = new int[max + 1];
        int[] x0 = new int[max + 1], y0 = new int[max + 1], x1 = new int[max + 1], y1 = new int[max + 1];
        double[] sx = new double[max + 1], sy = new double[max + 1];
        Arrays.fill(x0, Integer.MAX_VALUE);
        Arrays.fill(y0, Integer.MAX_VALUE);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int l = labels[y * w + x];
                if (l == 0) continue;
                area[l]++;
                sx[l] += x;
                sy[l] += y;
                if (x < x0[l]) x0[l] = x;
                if (y < y0[l]) y0[l] = y;
                if (x + 1 > x1[l]) x1[l] = x + 1;
                if (y + 1 > y1[l]) y1[l] = y + 1;
            }
        }
        List<InstanceFeatures> out = new ArrayList<>();
        for (int l = 1; l <= max; l++) {
            if (area[l] == 0) continue;
            out.add(measureOne(labels, w, l, area[l], x0[l], y0[l], x1[l], y1[l],
                    sx[l] / area[l], sy[l] / area[l], segmentation.score(l)));
        }
        return out;
    }

    private static InstanceFeatures measureOne(int[] labels, int w, int label, int area,
                                               int x0, int y0, int x1, int y1,
                                               double cx, double cy, double score) {
        int bw = x1 - x0;
        int bh = y1 - y0;
        boolean[] mask = new boolean[bw * bh];
        double mu20 = 0, mu02 = 0, mu11 = 0; // mu20: along rows (y), mu02: along columns (x)
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if (labels[y * w + x] != label) continue;
                mask[(y - y0) * bw + (x - x0)] = true;
                double dy = y - cy;
                double dx = x - cx;
                mu20 += dy * dy;
                mu02 += dx * dx;
                mu11 += dx * dy;
            }
        }
        // regionprops' inertia tensor [[a, b], [b, c]]: a = mu02/mu00, b = -mu11/mu00, c = mu20/mu00
        double a = mu02 / area;
        double b = -mu11 / area;
        double c = mu20 / area;
        double mean = (a + c) / 2;
        double root = Math.sqrt(((a - c) / 2) * ((a - c) / 2) + b * b);
        double l1 = Math.max(mean + root, 0);
        double l2 = Math.max(mean - root, 0);
        double major = 4 * Math.sqrt(l1);
        double minor = 4 * Math.sqrt(l2);
        double ecc = l1 == 0 ? 0 : Math.sqrt(1 - l2 / l1);
        double orientation;
        if (a - c == 0) {
            orientation = b < 0 ? -Math.PI / 4 : Math.PI / 4;
        } else {
            orientation = 0.5 * Math.atan2(-2 * b, c - a);
        }
        double perimeter = Perimeter.of(mask, bw, bh);
        int convexArea = ConvexHullArea.pixelsInHull(mask, bw, bh);
        return new InstanceFeatures(label, area, x0, y0, x1, y1, cx, cy, perimeter,
                Math.sqrt(4.0 * area / Math.PI), major, minor, ecc, orientation,
                convexArea, (double) area / convexArea, (double) area / (bw * bh), EulerNumber.of(mask, bw, bh), score);
    }
}
