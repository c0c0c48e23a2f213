package org.nucleispark.report;

/**
 * Recall per tertile of a nucleus property: the share of true nuclei in each bin that a prediction
 * matches (at IoU > 0.7, evaluate's {@code matched_at_0_7}).
 */
public record BinnedRecall(int[] total, int[] matched) {

    public static BinnedRecall of(Tertiles bins, double[] values, boolean[] isMatched) {
        if (values.length != isMatched.length) {
            throw new IllegalArgumentException(values.length + " values but " + isMatched.length + " match flags");
        }
        int[] total = new int[Tertiles.BINS];
        int[] matched = new int[Tertiles.BINS];
        for (int i = 0; i < values.length; i++) {
            int b = bins.bin(values[i]);
            total[b]++;
            if (isMatched[i]) matched[b]++;
        }
        return new BinnedRecall(total, matched);
    }

    /** Matched / total in bin {@code b}; NaN for an empty bin (nothing to recall, not 0 % recalled). */
    public double recall(int b) {
        return total[b] == 0 ? Double.NaN : (double) matched[b] / total[b];
    }
}
