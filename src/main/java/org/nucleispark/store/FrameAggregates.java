package org.nucleispark.store;

import java.util.Arrays;

/**
 * Per-frame figures of the sequences/ table, for time-course plots: nucleus count, mean and median
 * nuclear area (px), and the fraction of the frame covered by nuclei.
 *
 * @param meanArea   NaN when there are no nuclei (written as null)
 * @param medianArea the middle area, or the mean of the two middle ones for an even count (numpy's
 *                   convention, so values match a pandas re-computation); NaN when there are none
 */
record FrameAggregates(int nNuclei, double meanArea, double medianArea, double nuclearAreaFraction) {

    static FrameAggregates of(int[] areas, long framePixels) {
        int n = areas.length;
        if (n == 0) return new FrameAggregates(0, Double.NaN, Double.NaN, 0.0);
        int[] sorted = areas.clone();
        Arrays.sort(sorted);
        long total = 0;
        for (int a : sorted) total += a;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + (double) sorted[n / 2]) / 2.0;
        return new FrameAggregates(n, (double) total / n, median, framePixels > 0 ? (double) total / framePixels : Double.NaN);
    }
}
