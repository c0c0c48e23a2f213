package org.nucleispark.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pixel count of an object's convex hull as scikit-image's {@code convex_hull_image} computes it:
 * the hull of the midpoints of every pixel's edges, then every pixel whose centre lies in or on it.
 * OpenCV's convexHull works on contour points (pixel centres), which under-counts small nuclei by a
 * large fraction, so the hull and the point test are written here.
 */
final class ConvexHullArea {
    private ConvexHullArea() {}

    static int pixelsInHull(boolean[] mask, int w, int h) {
        List<double[]> pts = new ArrayList<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!mask[y * w + x] || isInterior(mask, w, h, x, y)) continue;
                pts.add(new double[] {x + 0.5, y});
                pts.add(new double[] {x - 0.5, y});
                pts.add(new double[] {x, y + 0.5});
                pts.add(new double[] {x, y - 0.5});
            }
        }
        double[][] hull = hull(pts.toArray(new double[0][]));
        int count = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (mask[y * w + x] || inside(hull, x, y)) count++;
            }
        }
        return count;
    }

    private static boolean isInterior(boolean[] m, int w, int h, int x, int y) {
        return x > 0 && y > 0 && x < w - 1 && y < h - 1
                && m[y * w + x - 1] && m[y * w + x + 1] && m[(y - 1) * w + x] && m[(y + 1) * w + x];
    }

    /** Andrew's monotone chain; counter-clockwise, no collinear points. */
    static double[][] hull(double[][] p) {
        Arrays.sort(p, (a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        int n = p.length;
        if (n < 3) return p;
        double[][] h = new double[2 * n][];
        int k = 0;
        for (int i = 0; i < n; i++) {
            while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0) k--;
            h[k++] = p[i];
        }
        for (int i = n - 2, t = k + 1; i >= 0; i--) {
            while (k >= t && cross(h[k - 2], h[k - 1], p[i]) <= 0) k--;
            h[k++] = p[i];
        }
        return Arrays.copyOf(h, k - 1);
    }

    private static double cross(double[] o, double[] a, double[] b) {
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    }

    private static boolean inside(double[][] hull, double x, double y) {
        if (hull.length < 3) return false;
        for (int i = 0; i < hull.length; i++) {
            double[] a = hull[i];
            double[] b = hull[(i + 1) % hull.length];
            if ((b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) < -1e-9) return false;
        }
        return true;
    }
}
