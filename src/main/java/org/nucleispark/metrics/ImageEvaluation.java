package org.nucleispark.metrics;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.nucleispark.image.LabelImage;

/**
 * Every per-image quantity that {@link DatasetMetrics} aggregates. Counts are kept (not only ratios)
 * so that precision, recall and matched-pair Dice can be pooled over a data set rather than averaged
 * per image, which would let an image with one nucleus weigh as much as one with five hundred.
 *
 * @param imageId the image's id
 * @param nTrue ground-truth instances
 * @param nPred predicted instances
 * @param score DSB 2018 image score, the mean of {@code thresholdScores}
 * @param thresholdScores DSB score at IoU > 0.50, 0.55, …, 0.95 (ten values, see {@link DsbMetric})
 * @param foregroundDice 2|X∩Y| / (|X|+|Y|) of the foreground masks, ignoring instance identity;
 *     1.0 when both are empty
 * @param tpAt07 predictions matched at IoU > 0.7
 * @param fpAt07 predictions not matched at IoU > 0.7
 * @param fnAt07 true nuclei not matched at IoU > 0.7
 * @param oversegmentation true nuclei split into two or more predictions ({@link SegmentationErrors})
 * @param undersegmentation predictions that merge two or more true nuclei
 * @param matchedDiceSum sum of 2|P∩G| / (|P|+|G|) over the pairs matched at IoU > 0.5
 * @param matchedCount number of pairs matched at IoU > 0.5
 */
public record ImageEvaluation(
        String imageId,
        int nTrue,
        int nPred,
        double score,
        double[] thresholdScores,
        double foregroundDice,
        int tpAt07,
        int fpAt07,
        int fnAt07,
        int oversegmentation,
        int undersegmentation,
        double matchedDiceSum,
        int matchedCount) implements Serializable {

    /** IoU > 0.7 is the operating point for P/R: stricter than the 0.5 that merely makes matching unique. */
    static final int PR_THRESHOLD_PERCENT = 70;

    /** Matched-pair Dice uses the loosest DSB threshold, so it measures boundary quality of every match. */
    static final int MATCH_THRESHOLD_PERCENT = 50;

    public ImageEvaluation {
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(thresholdScores, "thresholdScores");
        if (thresholdScores.length != DsbMetric.THRESHOLD_COUNT) {
            throw new IllegalArgumentException("expected " + DsbMetric.THRESHOLD_COUNT
                    + " threshold scores, got " + thresholdScores.length);
        }
        if (tpAt07 + fpAt07 != nPred || tpAt07 + fnAt07 != nTrue) {
            throw new IllegalArgumentException("inconsistent counts for " + imageId + ": tp=" + tpAt07
                    + " fp=" + fpAt07 + " fn=" + fnAt07 + " with " + nTrue + " true and " + nPred + " predicted");
        }
        thresholdScores = thresholdScores.clone();
    }

    /**
     * Evaluates a prediction against the ground truth of the same image.
     *
     * @throws IllegalArgumentException when the two label images differ in size
     */
    public static ImageEvaluation of(String imageId, LabelImage truth, LabelImage pred) {
        return of(imageId, OverlapTable.of(truth, pred));
    }

    /** Evaluates from an already computed overlap table. */
    public static ImageEvaluation of(String imageId, OverlapTable table) {
        double[] scores = DsbMetric.thresholdScores(table);
        int tp = DsbMetric.matches(table, PR_THRESHOLD_PERCENT);
        SegmentationErrors errors = SegmentationErrors.of(table);
        double diceSum = 0;
        int matched = 0;
        for (int i = 0; i < table.pairCount(); i++) {
            if (DsbMetric.iouExceeds(table, i, MATCH_THRESHOLD_PERCENT)) {
                diceSum += dice(table.pairIntersection(i), table.pairTrueArea(i), table.pairPredArea(i));
                matched++;
            }
        }
        long trueFg = table.trueForeground();
        long predFg = table.predForeground();
        double fgDice = trueFg + predFg == 0 ? 1.0 : dice(table.foregroundIntersection(), trueFg, predFg);
        return new ImageEvaluation(imageId, table.trueCount(), table.predCount(), DsbMetric.mean(scores),
                scores, fgDice, tp, table.predCount() - tp, table.trueCount() - tp,
                errors.oversegmentation(), errors.undersegmentation(), diceSum, matched);
    }

    private static double dice(long intersection, long a, long b) {
        return 2.0 * intersection / (a + b);
    }

    /** A copy: the record stays immutable. */
    @Override
    public double[] thresholdScores() {
        return thresholdScores.clone();
    }

    /** Score at threshold index {@code i} (0 for IoU > 0.50, 9 for IoU > 0.95). */
    public double thresholdScore(int i) {
        return thresholdScores[i];
    }

    // Records compare array components by reference; these compare contents.
    @Override
    public boolean equals(Object o) {
        return o instanceof ImageEvaluation e
                && imageId.equals(e.imageId)
                && nTrue == e.nTrue
                && nPred == e.nPred
                && Double.compare(score, e.score) == 0
                && Arrays.equals(thresholdScores, e.thresholdScores)
                && Double.compare(foregroundDice, e.foregroundDice) == 0
                && tpAt07 == e.tpAt07
                && fpAt07 == e.fpAt07
                && fnAt07 == e.fnAt07
                && oversegmentation == e.oversegmentation
                && undersegmentation == e.undersegmentation
                && Double.compare(matchedDiceSum, e.matchedDiceSum) == 0
                && matchedCount == e.matchedCount;
    }

    @Override
    public int hashCode() {
        return Objects.hash(imageId, nTrue, nPred, score, Arrays.hashCode(thresholdScores), foregroundDice,
                tpAt07, fpAt07, fnAt07, oversegmentation, undersegmentation, matchedDiceSum, matchedCount);
    }

    @Override
    public String toString() {
        return "ImageEvaluation[imageId=" + imageId + ", nTrue=" + nTrue + ", nPred=" + nPred
                + ", score=" + score + ", thresholdScores=" + Arrays.toString(thresholdScores)
                + ", foregroundDice=" + foregroundDice + ", tpAt07=" + tpAt07 + ", fpAt07=" + fpAt07
                + ", fnAt07=" + fnAt07 + ", oversegmentation=" + oversegmentation
                + ", undersegmentation=" + undersegmentation + ", matchedDiceSum=" + matchedDiceSum
                + ", matchedCount=" + matchedCount + "]";
    }
}
