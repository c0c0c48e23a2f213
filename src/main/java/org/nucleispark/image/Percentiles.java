package org.nucleispark.image;

import java.util.Arrays;
import org.apache.commons.math3.util.KthSelector;
import org.apache.commons.math3.util.MedianOf3PivotingStrategy;

/**
 * numpy's default ({@code method="linear"}) percentiles of an image's values, by selection rather than
 * by sorting: the two order statistics each percentile needs are found by commons-math3's
 * {@link KthSelector} in linear expected time, which shares its pivots between the calls on one
 * array, where the sort it replaces (n log n over every pixel) was the hottest Java frame of a U-Net
 * run. The values are the same: the same order statistics, interpolated by the same {@link #numpyLerp}.
 */
public final class Percentiles {
    private Percentiles() {}

    /**
     * @param values      the data; reordered in place (pass a copy to keep the original order)
     * @param percentiles each in [0, 100]
     * @return one value per requested percentile, in the order asked
     */
    public static double[] ofReordered(double[] values, double... percentiles) {
        if (values.length == 0) throw new IllegalArgumentException("no values to take percentiles of");
        KthSelector selector = new KthSelector(new MedianOf3PivotingStrategy());
        int[] pivots = new int[1023]; // KthSelector's pivot cache: a heap of indices, -1 = not yet known
        Arrays.fill(pivots, -1);
        double[] out = new double[percentiles.length];
        for (int k = 0; k < percentiles.length; k++) {
            double pos = (values.length - 1) * (percentiles[k] / 100.0);
            int i = (int) Math.floor(pos);
            int j = Math.min(i + 1, values.length - 1);
            double a = selector.select(values, pivots, i);
            double b = j == i ? a : selector.select(values, pivots, j);
            out[k] = numpyLerp(a, b, pos - i);
        }
        return out;
    }

    /** numpy's _lerp: from the lower neighbour below g = 0.5, from the upper one at or above it. */
    static double numpyLerp(double a, double b, double g) {
        double diff = b - a;
        return g >= 0.5 ? b - diff * (1 - g) : a + diff * g;
    }
}
