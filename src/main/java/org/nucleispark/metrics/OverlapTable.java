package org.nucleispark.metrics;

import java.util.Arrays;
import java.util.Objects;
import org.nucleispark.image.LabelImage;

/**
 * Areas of every true and predicted instance and the intersection of every overlapping
 * (true, predicted) pair, gathered in one pass over the pixels. Every segmentation metric in this
 * package is a function of these counts alone.
 *
 * <p>Only pairs that actually overlap are stored: a 1000x1000 image with 500 nuclei on each side has
 * a few hundred to a few thousand overlapping pairs, against 250,000 cells in a dense matrix.
 *
 * <p>Instances are addressed either by label or by index: {@code trueLabels()[i]} is the label of
 * true instance {@code i}, and labels are listed in ascending order.
 */
public final class OverlapTable {
    private final int[] trueLabels;
    private final int[] trueAreas;
    private final int[] predLabels;
    private final int[] predAreas;
    /** Sorted (true label, pred label) keys of overlapping pairs, see {@link #pack}. */
    private final long[] pairKeys;
    private final int[] pairTrue;
    private final int[] pairPred;
    private final int[] pairIntersections;

    private OverlapTable(int[] trueLabels, int[] trueAreas, int[] predLabels, int[] predAreas,
                         long[] pairKeys, int[] pairTrue, int[] pairPred, int[] pairIntersections) {
        this.trueLabels = trueLabels;
        this.trueAreas = trueAreas;
        this.predLabels = predLabels;
        this.predAreas = predAreas;
        this.pairKeys = pairKeys;
        this.pairTrue = pairTrue;
        this.pairPred = pairPred;
        this.pairIntersections = pairIntersections;
    }

    /**
     * @throws IllegalArgumentException when the images differ in size or a label is negative
     */
    public static OverlapTable of(LabelImage truth, LabelImage pred) {
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(pred, "pred");
        if (truth.width() != pred.width() || truth.height() != pred.height()) {
            throw new IllegalArgumentException("ground truth is " + truth.width() + "x" + truth.height()
                    + " but prediction is " + pred.width() + "x" + pred.height()
                    + "; both label images must have the same size");
        }
        PairCounter counter = countPairs(truth.labels(), pred.labels(), truth.width());
        long[] keys = counter.sortedKeys();

        // Keys sort by true label first, so true instances come out grouped and ascending.
        int[] tLabels = new int[keys.length];
        int[] tAreas = new int[keys.length];
        int nTrue = 0;
        int[] pAll = new int[keys.length];
        int nPredKeys = 0;
        int nPairs = 0;
        for (long key : keys) {
            int t = trueOf(key);
            int p = predOf(key);
            int c = counter.get(key);
            if (t > 0) {
                if (nTrue == 0 || tLabels[nTrue - 1] != t) {
                    tLabels[nTrue++] = t;
                }
                tAreas[nTrue - 1] += c;
            }
            if (p > 0) {
                pAll[nPredKeys++] = p;
                if (t > 0) {
                    nPairs++;
                }
            }
        }
        int[] pLabels = distinctSorted(pAll, nPredKeys);
        int[] pAreas = new int[pLabels.length];
        long[] pairKeys = new long[nPairs];
        int[] pairTrue = new int[nPairs];
        int[] pairPred = new int[nPairs];
        int[] pairInter = new int[nPairs];
        int trueIndex = -1;
        int pair = 0;
        for (long key : keys) {
            int t = trueOf(key);
            int p = predOf(key);
            int c = counter.get(key);
            if (t > 0 && (trueIndex < 0 || tLabels[trueIndex] != t)) {
                trueIndex++;
            }
            if (p > 0) {
                int predIndex = Arrays.binarySearch(pLabels, p);
                pAreas[predIndex] += c;
                if (t > 0) {
                    pairKeys[pair] = key;
                    pairTrue[pair] = trueIndex;
                    pairPred[pair] = predIndex;
                    pairInter[pair] = c;
                    pair++;
                }
            }
        }
        return new OverlapTable(Arrays.copyOf(tLabels, nTrue), Arrays.copyOf(tAreas, nTrue),
                pLabels, pAreas, pairKeys, pairTrue, pairPred, pairInter);
    }

    private static PairCounter countPairs(int[] truth, int[] pred, int width) {
        PairCounter counter = new PairCounter();
        // Neighbouring pixels usually carry the same pair, so count runs and touch the table once
        // per run rather than once per pixel.
        long runKey = 0L;
        int runLength = 0;
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i];
            int p = pred[i];
            long key = pack(t, p);
            if (key == runKey) {
                runLength++;
                continue;
            }
            if (t < 0 || p < 0) {
                throw new IllegalArgumentException("negative label " + (t < 0 ? t + " in ground truth" : p + " in prediction")
                        + " at x=" + (i % width) + ", y=" + (i / width)
                        + "; labels must be 0 (background) or positive instance ids");
            }
            if (runKey != 0L) {
                counter.add(runKey, runLength);
            }
            runKey = key;
            runLength = 1;
        }
        if (runKey != 0L) {
            counter.add(runKey, runLength);
        }
        return counter;
    }

    /** Both labels are non-negative, so the packed keys sort by true label, then predicted label. */
    private static long pack(int trueLabel, int predLabel) {
        return ((long) trueLabel << 32) | (predLabel & 0xFFFF_FFFFL);
    }

    private static int trueOf(long key) { return (int) (key >>> 32); }

    private static int predOf(long key) { return (int) key; }

    private static int[] distinctSorted(int[] values, int n) {
        int[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m == 0 || sorted[m - 1] != sorted[i]) {
                sorted[m++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, m);
    }

    /** Number of true instances (distinct positive labels in the ground truth). */
    public int trueCount() { return trueLabels.length; }

    /** Number of predicted instances (distinct positive labels in the prediction). */
    public int predCount() { return predLabels.length; }

    /** True labels in ascending order (a copy). */
    public int[] trueLabels() { return trueLabels.clone(); }

    /** Predicted labels in ascending order (a copy). */
    public int[] predLabels() { return predLabels.clone(); }

    /** Pixel count of the true instance with this label; 0 when the label is absent. */
    public int trueArea(int label) {
        int i = Arrays.binarySearch(trueLabels, label);
        return i < 0 ? 0 : trueAreas[i];
    }

    /** Pixel count of the predicted instance with this label; 0 when the label is absent. */
    public int predArea(int label) {
        int i = Arrays.binarySearch(predLabels, label);
        return i < 0 ? 0 : predAreas[i];
    }

    public int trueAreaAt(int trueIndex) { return trueAreas[trueIndex]; }

    public int predAreaAt(int predIndex) { return predAreas[predIndex]; }

    /** Pixels labelled {@code trueLabel} in the truth and {@code predLabel} in the prediction. */
    public int intersection(int trueLabel, int predLabel) {
        if (trueLabel <= 0 || predLabel <= 0) {
            return 0;
        }
        int i = Arrays.binarySearch(pairKeys, pack(trueLabel, predLabel));
        return i < 0 ? 0 : pairIntersections[i];
    }

    /** Intersection over union of two instances; 0 when they do not overlap or are absent. */
    public double iou(int trueLabel, int predLabel) {
        int inter = intersection(trueLabel, predLabel);
        if (inter == 0) {
            return 0.0;
        }
        return (double) inter / ((long) trueArea(trueLabel) + predArea(predLabel) - inter);
    }

    /** Number of (true, predicted) pairs that share at least one pixel. */
    public int pairCount() { return pairKeys.length; }

    /** Index into {@link #trueLabels()} of the true instance of overlapping pair {@code i}. */
    public int pairTrueIndex(int i) { return pairTrue[i]; }

    /** Index into {@link #predLabels()} of the predicted instance of overlapping pair {@code i}. */
    public int pairPredIndex(int i) { return pairPred[i]; }

    public int pairTrueLabel(int i) { return trueLabels[pairTrue[i]]; }

    public int pairPredLabel(int i) { return predLabels[pairPred[i]]; }

    public int pairIntersection(int i) { return pairIntersections[i]; }

    public int pairTrueArea(int i) { return trueAreas[pairTrue[i]]; }

    public int pairPredArea(int i) { return predAreas[pairPred[i]]; }

    /** |G ∪ P| of pair {@code i}; exact, so thresholds can be compared without rounding. */
    public long pairUnion(int i) {
        return (long) pairTrueArea(i) + pairPredArea(i) - pairIntersections[i];
    }

    public double pairIou(int i) { return (double) pairIntersections[i] / pairUnion(i); }

    /** Pixels that are foreground (any instance) in the ground truth. */
    public long trueForeground() { return sum(trueAreas); }

    /** Pixels that are foreground (any instance) in the prediction. */
    public long predForeground() { return sum(predAreas); }

    /** Pixels that are foreground in both images, whichever instances they belong to. */
    public long foregroundIntersection() { return sum(pairIntersections); }

    private static long sum(int[] values) {
        long s = 0;
        for (int v : values) {
            s += v;
        }
        return s;
    }
}
