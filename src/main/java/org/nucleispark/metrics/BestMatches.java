package org.nucleispark.metrics;

/**
 * Each instance's best IoU with any instance on the other side, and whether it is matched at the P/R
 * operating point (IoU > 0.7), read off an {@link OverlapTable}. Indices follow the table's
 * {@code trueLabels()} and {@code predLabels()}.
 *
 * <p>"Matched" uses the same exact integer test as {@link DsbMetric#iouExceeds}, so the number of
 * matched true nuclei and the number of matched predictions both equal the image's
 * {@link ImageEvaluation#tpAt07()} (above IoU 0.5 a match is one-to-one).
 */
public record BestMatches(double[] trueBestIou, boolean[] trueMatched, double[] predBestIou, boolean[] predMatched) {

    public static BestMatches of(OverlapTable table) {
        double[] tBest = new double[table.trueCount()];
        boolean[] tMatched = new boolean[table.trueCount()];
        double[] pBest = new double[table.predCount()];
        boolean[] pMatched = new boolean[table.predCount()];
        for (int i = 0; i < table.pairCount(); i++) {
            int t = table.pairTrueIndex(i);
            int p = table.pairPredIndex(i);
            double iou = table.pairIou(i);
            tBest[t] = Math.max(tBest[t], iou);
            pBest[p] = Math.max(pBest[p], iou);
            if (DsbMetric.iouExceeds(table, i, ImageEvaluation.PR_THRESHOLD_PERCENT)) {
                tMatched[t] = true;
                pMatched[p] = true;
            }
        }
        return new BestMatches(tBest, tMatched, pBest, pMatched);
    }
}
