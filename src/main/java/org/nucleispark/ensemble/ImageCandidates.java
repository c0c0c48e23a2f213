package org.nucleispark.ensemble;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.nucleispark.image.LabelImage;
import org.nucleispark.io.Rle;

/**
 * Everything the ensemble's training needs to know about one labelled image, without its pixels:
 * each candidate's features and IoU target, which other candidates it overlaps (for NMS) and which
 * true nuclei it overlaps (to score any selection with the DSB metric). A few kB per image, so a
 * whole training set fits on the driver for tuning.
 *
 * @param trueAreas area of each true nucleus, indexed by its label (index 0 unused)
 * @param width, height the image's size, for painting a selection ({@link Entry#rle})
 */
public record ImageCandidates(String imageId, int width, int height, int[] trueAreas, List<Entry> candidates)
        implements Serializable {

    /**
     * @param overlapWith indices (into the image's candidates) of candidates it shares pixels with
     * @param overlapIou  IoU with each of those
     * @param truthLabels true nuclei it shares pixels with, and {@code truthIntersections} how many
     * @param confidence  its model's own confidence (NaN when none)
     * @param rle         its mask (DSB run-length encoding; a few dozen bytes) for writing a selection
     */
    public record Entry(String source, int area, double[] features, double target, int[] overlapWith,
                        double[] overlapIou, int[] truthLabels, int[] truthIntersections, double confidence,
                        String rle) implements Serializable {}

    public int trueCount() {
        int n = 0;
        for (int i = 1; i < trueAreas.length; i++) if (trueAreas[i] > 0) n++;
        return n;
    }

    /** With the thesis' features. */
    public static ImageCandidates of(String imageId, List<Candidate> candidates, LabelImage truth) {
        return of(imageId, candidates, truth, null, CandidateFeatures.NAMES);
    }

    /**
     * @param intensityPlane the image for {@link IntensityFeatures} ({@link IntensityFeatures#plane}); null = without
     * @param featureNames   the features each entry holds, in order ({@link CandidateFeatures#of(List, float[], int, int, List)})
     */
    public static ImageCandidates of(String imageId, List<Candidate> candidates, LabelImage truth, float[] intensityPlane,
                                     List<String> featureNames) {
        int[] t = truth.labels();
        int[] trueAreas = new int[truth.maxLabel() + 1];
        for (int l : t) trueAreas[l]++;
        trueAreas[0] = 0;
        double[][] features = CandidateFeatures.of(candidates, intensityPlane, truth.width(), truth.height(), featureNames);
        double[] targets = IouTargets.of(candidates, truth);
        List<Entry> entries = new ArrayList<>();
        int[] inter = new int[trueAreas.length];
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            List<Integer> with = new ArrayList<>();
            List<Double> ious = new ArrayList<>();
            for (int j = 0; j < candidates.size(); j++) {
                if (j == i) continue;
                double iou = c.iou(candidates.get(j));
                if (iou > 0) {
                    with.add(j);
                    ious.add(iou);
                }
            }
            List<Integer> labels = new ArrayList<>();
            for (int p : c.pixels()) {
                int l = t[p];
                if (l != 0 && inter[l]++ == 0) labels.add(l);
            }
            int[] tl = labels.stream().mapToInt(Integer::intValue).toArray();
            int[] ti = new int[tl.length];
            for (int k = 0; k < tl.length; k++) {
                ti[k] = inter[tl[k]];
                inter[tl[k]] = 0;
            }
            entries.add(new Entry(c.source(), c.area(), features[i], targets[i],
                    with.stream().mapToInt(Integer::intValue).toArray(),
                    ious.stream().mapToDouble(Double::doubleValue).toArray(), tl, ti, c.confidence(),
                    Rle.encodePixels(c.pixels(), truth.width(), truth.height())));
        }
        return new ImageCandidates(imageId, truth.width(), truth.height(), trueAreas, entries);
    }
}
