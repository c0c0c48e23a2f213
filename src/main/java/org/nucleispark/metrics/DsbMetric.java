package org.nucleispark.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The Kaggle Data Science Bowl 2018 ("Find the nuclei in divergent images") image score.
 *
 * <p>Definition (competition "Evaluation" page): for each IoU threshold t in 0.50, 0.55, …, 0.95, a
 * predicted object is a true positive when its IoU with a ground-truth object is greater than t;
 * unmatched predictions are false positives and unmatched ground-truth objects false negatives; the
 * score at t is TP / (TP + FP + FN), and the image score is the mean over the ten thresholds.
 *
 * <p>Thresholds are handled as whole percentages (50, 55, …, 95) and "IoU > t" is decided in exact
 * integer arithmetic, {@code 100·|G∩P| > pct·|G∪P|}. The definition turns on the boundary (IoU
 * exactly t does not match), and with integers that no longer depends on how a floating-point
 * threshold was produced: {@code 7 * 0.05 + 0.5} is 0.8500000000000001, and a threshold that drifted
 * below its decimal value instead would wrongly match an IoU of exactly t.
 */
public final class DsbMetric {
    /** Number of IoU thresholds: 0.50 to 0.95 in steps of 0.05. */
    public static final int THRESHOLD_COUNT = 10;

    private static final List<String> KEYS;

    static {
        List<String> keys = new ArrayList<>(THRESHOLD_COUNT);
        for (int i = 0; i < THRESHOLD_COUNT; i++) {
            keys.add("0." + thresholdPercent(i));
        }
        KEYS = Collections.unmodifiableList(keys);
    }

    private DsbMetric() {
    }

    /** Threshold {@code i} (0..9) as a whole percentage: 50, 55, …, 95. */
    public static int thresholdPercent(int i) {
        if (i < 0 || i >= THRESHOLD_COUNT) {
            throw new IndexOutOfBoundsException("threshold index " + i + " not in 0.." + (THRESHOLD_COUNT - 1));
        }
        return 50 + 5 * i;
    }

    /** Threshold {@code i} (0..9) as the double nearest to 0.50, 0.55, …, 0.95. */
    public static double threshold(int i) {
        return thresholdPercent(i) / 100.0;
    }

    /** Threshold {@code i} (0..9) as a two-decimal key: "0.50", "0.55", …, "0.95". */
    public static String thresholdKey(int i) {
        return KEYS.get(i);
    }

    /** All ten threshold keys, "0.50" to "0.95", in order. */
    public static List<String> thresholdKeys() {
        return KEYS;
    }

    /**
     * Number of overlapping pairs with IoU strictly greater than {@code percent}/100. For
     * percent ≥ 50 this is the number of true positives: IoU > 0.5 means the intersection is more
     * than half of the union, so neither object can have a second such partner and no assignment
     * step is needed (the reason the DSB thresholds start at 0.5).
     *
     * @throws IllegalArgumentException when percent is below 50 or above 100, where the count is not a
     *     one-to-one matching
     */
    public static int matches(OverlapTable table, int percent) {
        if (percent < 50 || percent > 100) {
            throw new IllegalArgumentException("IoU threshold " + percent
                    + "% is outside 50..100%; below 50% a pair count is not a one-to-one matching");
        }
        int tp = 0;
        for (int i = 0; i < table.pairCount(); i++) {
            if (iouExceeds(table, i, percent)) {
                tp++;
            }
        }
        return tp;
    }

    /** Whether overlapping pair {@code pair} of the table has IoU strictly greater than percent/100. */
    public static boolean iouExceeds(OverlapTable table, int pair, int percent) {
        return 100L * table.pairIntersection(pair) > (long) percent * table.pairUnion(pair);
    }

    /**
     * TP / (TP + FP + FN) with FP = nPred − TP and FN = nTrue − TP. The DSB definition leaves 0/0
     * open (every competition image had nuclei); here an image with no nuclei and no predictions
     * scores 1.0, since nothing was there to find and nothing was invented. When only one side is
     * empty the formula already gives 0.
     */
    public static double score(int tp, int nTrue, int nPred) {
        if (tp < 0 || tp > nTrue || tp > nPred) {
            throw new IllegalArgumentException("TP " + tp + " is impossible with " + nTrue + " true and "
                    + nPred + " predicted objects");
        }
        int fp = nPred - tp;
        int fn = nTrue - tp;
        int denominator = tp + fp + fn;
        return denominator == 0 ? 1.0 : (double) tp / denominator;
    }

    /** Score at each of the ten thresholds, index {@code i} for threshold {@link #threshold(int)}. */
    public static double[] thresholdScores(OverlapTable table) {
        double[] scores = new double[THRESHOLD_COUNT];
        for (int i = 0; i < THRESHOLD_COUNT; i++) {
            scores[i] = score(matches(table, thresholdPercent(i)), table.trueCount(), table.predCount());
        }
        return scores;
    }

    /** The image score: the mean of {@link #thresholdScores}. */
    public static double imageScore(OverlapTable table) {
        return mean(thresholdScores(table));
    }

    static double mean(double[] scores) {
        double sum = 0;
        for (double s : scores) {
            sum += s;
        }
        return sum / scores.length;
    }
}
