package org.nucleispark.ensemble;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nucleispark.metrics.DsbMetric;

/**
 * Scores a choice of candidates with the DSB 2018 metric from an image's overlap statistics alone
 * ({@link ImageCandidates}), so that thresholds can be tuned over hundreds of images on the driver
 * without painting a label image per setting.
 *
 * <p>Approximation, stated: kept candidates may share a few pixels (NMS allows IoU up to its
 * threshold) and painting gives those pixels to the better one; here each keeps its full mask. With
 * the thesis' overlap threshold of 0.3 the difference is a few pixels per touching pair.
 */
public final class SelectionScore {
    private SelectionScore() {}

    /** Greedy NMS on precomputed overlaps, as {@link InstanceNms#select} does on pixels. */
    public static List<Integer> select(ImageCandidates image, double[] predicted, double maxOverlap, double minPredicted) {
        List<ImageCandidates.Entry> c = image.candidates();
        Integer[] order = new Integer[c.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -predicted[i]).thenComparingInt(i -> i));
        Set<Integer> kept = new HashSet<>();
        List<Integer> keptInOrder = new ArrayList<>();
        for (int i : order) {
            if (predicted[i] < minPredicted) break;
            ImageCandidates.Entry e = c.get(i);
            boolean suppressed = false;
            for (int k = 0; k < e.overlapWith().length; k++) {
                if (e.overlapIou()[k] > maxOverlap && kept.contains(e.overlapWith()[k])) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(i);
                keptInOrder.add(i);
            }
        }
        return keptInOrder;
    }

    /** Every candidate of one model: that model alone, as segment would have written it. */
    public static List<Integer> member(ImageCandidates image, String source) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < image.candidates().size(); i++) {
            if (image.candidates().get(i).source().equals(source)) out.add(i);
        }
        return out;
    }

    /**
     * DSB image score: mean over t = 0.50 … 0.95 of TP / (TP + FP + FN), decided like
     * {@link DsbMetric} (IoU > t in exact integer arithmetic; 1 when both sides are empty).
     */
    public static double dsb(ImageCandidates image, List<Integer> kept) {
        int nTrue = image.trueCount();
        double sum = 0;
        for (int k = 0; k < DsbMetric.THRESHOLD_COUNT; k++) {
            int percent = DsbMetric.thresholdPercent(k);
            Set<Integer> matchedTrue = new HashSet<>();
            int matchedPred = 0;
            for (int i : kept) {
                ImageCandidates.Entry e = image.candidates().get(i);
                boolean hit = false;
                for (int j = 0; j < e.truthLabels().length; j++) {
                    long inter = e.truthIntersections()[j];
                    long union = e.area() + image.trueAreas()[e.truthLabels()[j]] - inter;
                    // IoU > 0.5 pairs are one-to-one among non-overlapping masks: no assignment step
                    if (100 * inter > percent * union && matchedTrue.add(e.truthLabels()[j])) hit = true;
                }
                if (hit) matchedPred++;
            }
            // a kept candidate matching nothing is a false positive, however many are kept
            int tp = Math.min(matchedTrue.size(), matchedPred);
            sum += DsbMetric.score(tp, nTrue, tp + (kept.size() - matchedPred));
        }
        return sum / DsbMetric.THRESHOLD_COUNT;
    }
}
