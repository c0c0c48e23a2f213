package org.nucleispark.ensemble;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of the ensemble's selection (the NMS's maximum overlap and the minimum predicted IoU) that
 * train-ensemble tries on the cross-validated predictions, and the choice among them: the pair with the best
 * DSB mAP ({@link SelectionScore}), the first in grid order on ties. A setting fixed on the command line is a
 * grid of one value.
 *
 * @param maxOverlaps  NMS overlap thresholds tried, in order
 * @param minPredicted minimum predicted IoUs tried, in order
 */
public record SelectionGrid(double[] maxOverlaps, double[] minPredicted) {
    /** The thesis' overlap threshold for the cross-model NMS. */
    public static final double THESIS_OVERLAP = 0.3;
    /** Overlaps tried with {@code --max-overlap auto}. */
    static final double[] OVERLAP_GRID = {0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5};
    /** Minimum predicted IoUs tried with {@code --min-predicted-iou auto}. */
    static final double[] MIN_IOU_GRID = {0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6};

    public SelectionGrid {
        check(maxOverlaps, "maximum overlap");
        check(minPredicted, "minimum predicted IoU");
        maxOverlaps = maxOverlaps.clone();
        minPredicted = minPredicted.clone();
    }

    /** The thesis' overlap with the minimum predicted IoU tuned. */
    public static final SelectionGrid DEFAULT = of(THESIS_OVERLAP, null);

    /** @param maxOverlap fixed overlap, or null to try {@link #OVERLAP_GRID}; likewise {@code minPredicted} */
    public static SelectionGrid of(Double maxOverlap, Double minPredicted) {
        return new SelectionGrid(maxOverlap == null ? OVERLAP_GRID : new double[] {maxOverlap},
                minPredicted == null ? MIN_IOU_GRID : new double[] {minPredicted});
    }

    /**
     * @param maxOverlap   the overlap chosen
     * @param minPredicted the minimum predicted IoU chosen
     * @param mAP          the mean DSB score over the images with that choice
     * @param table        every setting's mAP, keyed by overlap then by minimum (rounded to 4 decimals)
     */
    public record Choice(double maxOverlap, double minPredicted, double mAP, Map<String, Map<String, Double>> table) {}

    /** @param predicted each image's candidates' predicted IoU, in the order of {@code images} */
    public Choice choose(List<ImageCandidates> images, double[][] predicted) {
        Map<String, Map<String, Double>> table = new LinkedHashMap<>();
        double best = -1, bestOverlap = maxOverlaps[0], bestMin = minPredicted[0];
        for (double overlap : maxOverlaps) {
            Map<String, Double> row = new LinkedHashMap<>();
            for (double min : minPredicted) {
                double m = 0;
                for (int i = 0; i < images.size(); i++) {
                    m += SelectionScore.dsb(images.get(i), SelectionScore.select(images.get(i), predicted[i], overlap, min));
                }
                m /= Math.max(images.size(), 1);
                row.put(String.valueOf(min), EnsembleTrainer.round(m));
                if (m > best) {
                    best = m;
                    bestOverlap = overlap;
                    bestMin = min;
                }
            }
            table.put(String.valueOf(overlap), row);
        }
        return new Choice(bestOverlap, bestMin, best, table);
    }

    private static void check(double[] values, String what) {
        if (values == null || values.length == 0) throw new IllegalArgumentException("no " + what + " to try");
        for (double v : values) {
            if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(what + " must be within [0, 1], got " + v);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SelectionGrid g && Arrays.equals(maxOverlaps, g.maxOverlaps) && Arrays.equals(minPredicted, g.minPredicted);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(maxOverlaps) + Arrays.hashCode(minPredicted);
    }

    @Override
    public String toString() {
        return "SelectionGrid[maxOverlaps=" + Arrays.toString(maxOverlaps) + ", minPredicted=" + Arrays.toString(minPredicted) + "]";
    }
}
