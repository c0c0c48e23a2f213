package org.nucleispark.ensemble;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.Segmentation;

/**
 * The ensemble's selection: greedy non-maximum suppression over the candidates of all models,
 * best predicted IoU first; a candidate is dropped when it overlaps an already kept one by IoU
 * above {@code maxOverlap} (0.3 in the thesis) or when its predicted IoU is below
 * {@code minPredictedIou}.
 */
public final class InstanceNms {
    private InstanceNms() {}

    /** Indices of the kept candidates, best predicted IoU first (ties: lower index first). */
    public static List<Integer> select(List<Candidate> candidates, double[] predictedIou, double maxOverlap,
                                       double minPredictedIou) {
        Integer[] order = new Integer[candidates.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -predictedIou[i]).thenComparingInt(i -> i));
        List<Integer> kept = new ArrayList<>();
        for (int i : order) {
            if (predictedIou[i] < minPredictedIou) break;
            Candidate c = candidates.get(i);
            boolean suppressed = false;
            for (int k : kept) {
                if (c.iou(candidates.get(k)) > maxOverlap) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) kept.add(i);
        }
        return kept;
    }

    /**
     * The kept candidates as one label image, labels 1..n in selection order, each with its source
     * model, that model's own confidence as its score, and its predicted IoU. Kept candidates may still share a few pixels (IoU up to maxOverlap): those
     * stay with the better candidate, painted first; one left with fewer than {@code minArea}
     * pixels is dropped.
     */
    public static Segmentation paint(List<Candidate> candidates, List<Integer> kept, double[] predictedIou,
                                     int width, int height, int minArea) {
        int[] labels = new int[width * height];
        int[] area = new int[kept.size() + 1];
        for (int n = 0; n < kept.size(); n++) {
            for (int p : candidates.get(kept.get(n)).pixels()) {
                if (labels[p] == 0) {
                    labels[p] = n + 1;
                    area[n + 1]++;
                }
            }
        }
        int[] relabel = new int[kept.size() + 1];
        List<Integer> painted = new ArrayList<>();
        for (int n = 1; n <= kept.size(); n++) {
            if (area[n] >= minArea) {
                painted.add(kept.get(n - 1));
                relabel[n] = painted.size();
            }
        }
        for (int i = 0; i < labels.length; i++) labels[i] = relabel[labels[i]];
        double[] scores = new double[painted.size() + 1];
        double[] iou = new double[painted.size() + 1];
        String[] sources = new String[painted.size() + 1];
        scores[0] = iou[0] = Double.NaN;
        for (int label = 1; label <= painted.size(); label++) {
            Candidate c = candidates.get(painted.get(label - 1));
            scores[label] = c.confidence();
            sources[label] = c.source();
            iou[label] = predictedIou[painted.get(label - 1)];
        }
        return new Segmentation(new LabelImage(width, height, labels), scores, sources, iou);
    }
}
