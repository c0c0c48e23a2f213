package org.nucleispark.image;

/**
 * Otsu's threshold over a 256-bin histogram of a [0,1] plane. OpenCV's Otsu works only on 8-bit
 * Mats; computing it here on our float planes avoids a lossy round trip and a copy.
 */
public final class Otsu {
    private Otsu() {}

    public static int[] histogram(float[] unitPlane, int bins) {
        int[] h = new int[bins];
        for (float v : unitPlane) {
            int b = (int) (v * (bins - 1) + 0.5f);
            h[b < 0 ? 0 : (b >= bins ? bins - 1 : b)]++;
        }
        return h;
    }

    /** Bin index t such that foreground is bins > t (maximises between-class variance). */
    public static int threshold(int[] hist) {
        long total = 0;
        double sum = 0;
        for (int i = 0; i < hist.length; i++) {
            total += hist[i];
            sum += (double) i * hist[i];
        }
        double sumB = 0;
        long wB = 0;
        double best = -1;
        int bestT = 0;
        for (int t = 0; t < hist.length; t++) {
            wB += hist[t];
            if (wB == 0) continue;
            long wF = total - wB;
            if (wF == 0) break;
            sumB += (double) t * hist[t];
            double mB = sumB / wB;
            double mF = (sum - sumB) / wF;
            double between = (double) wB * wF * (mB - mF) * (mB - mF);
            if (between > best) {
                best = between;
                bestT = t;
            }
        }
        return bestT;
    }

    public static int median(int[] hist) {
        long total = 0;
        for (int h : hist) total += h;
        long acc = 0;
        for (int i = 0; i < hist.length; i++) {
            acc += hist[i];
            if (acc * 2 >= total) return i;
        }
        return hist.length - 1;
    }
}
