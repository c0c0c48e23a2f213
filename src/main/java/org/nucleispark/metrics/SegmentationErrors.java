package org.nucleispark.metrics;

/**
 * Merge and split counts, the two failure modes that the DSB 2018 score folds into FP and FN but a
 * user tuning a watershed needs to see apart.
 *
 * <p>"More than half" makes each test unambiguous: a set of pixels can hold more than half of an
 * object only once, so a true nucleus counted as merged into a prediction is merged into that one
 * prediction alone, and likewise for a prediction counted as a fragment of a true nucleus.
 *
 * @param oversegmentation true nuclei G such that two or more predictions P each have more than half
 *     of their pixels inside G (|P∩G| > 0.5·|P|): one nucleus split into fragments
 * @param undersegmentation predictions P that contain more than half of the pixels of each of two or
 *     more true nuclei G (|P∩G| > 0.5·|G|): several nuclei merged into one prediction
 */
public record SegmentationErrors(int oversegmentation, int undersegmentation) {

    public SegmentationErrors {
        if (oversegmentation < 0 || undersegmentation < 0) {
            throw new IllegalArgumentException("counts must be non-negative, got over=" + oversegmentation
                    + " under=" + undersegmentation);
        }
    }

    public static SegmentationErrors of(OverlapTable table) {
        int[] fragmentsPerTrue = new int[table.trueCount()];
        int[] nucleiPerPred = new int[table.predCount()];
        for (int i = 0; i < table.pairCount(); i++) {
            long twiceInter = 2L * table.pairIntersection(i);
            if (twiceInter > table.pairPredArea(i)) {
                fragmentsPerTrue[table.pairTrueIndex(i)]++;
            }
            if (twiceInter > table.pairTrueArea(i)) {
                nucleiPerPred[table.pairPredIndex(i)]++;
            }
        }
        return new SegmentationErrors(countAtLeastTwo(fragmentsPerTrue), countAtLeastTwo(nucleiPerPred));
    }

    private static int countAtLeastTwo(int[] counts) {
        int n = 0;
        for (int c : counts) {
            if (c >= 2) {
                n++;
            }
        }
        return n;
    }
}
