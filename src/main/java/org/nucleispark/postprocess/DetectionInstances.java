package org.nucleispark.postprocess;

import org.nucleispark.image.LabelImage;

/**
 * Detections to an instance label image, the Mask R-CNN post-process (docs/architecture.md) and the Java twin of
 * {@code nucleispark_train.maskrcnn.instances_from_detections}: keep detections scoring at least the
 * threshold, paste their masks and split overlaps by nearest centroid ({@link OverlapSplitter}),
 * drop objects under the minimum area, fill holes per object, number instances 1..n in score order.
 * Each instance's score is its detection's score.
 */
public final class DetectionInstances {
    private final float scoreThreshold;
    private final OverlapSplitter splitter;
    private final int minArea;

    public DetectionInstances(double scoreThreshold, double maskThreshold, int minArea) {
        this(scoreThreshold, maskThreshold, minArea, MaskPaster.Method.TORCHVISION);
    }

    public DetectionInstances(double scoreThreshold, double maskThreshold, int minArea, MaskPaster.Method paste) {
        // scores are float32 and numpy compares them with the threshold in float32
        this.scoreThreshold = (float) scoreThreshold;
        this.splitter = new OverlapSplitter(maskThreshold, paste);
        this.minArea = minArea;
    }

    /** @param labels 1..n; @param scores {@code scores[label]}, NaN at 0 */
    public record Result(LabelImage labels, double[] scores) {}

    public Result label(Detections d, int width, int height) {
        int n = 0;
        for (float s : d.scores()) if (s >= scoreThreshold) n++;
        int[] keep = new int[n];
        for (int k = 0, j = 0; k < d.count(); k++) if (d.scores()[k] >= scoreThreshold) keep[j++] = k;
        int[] labels = splitter.split(d, keep, width, height);
        InstanceCleaner.Cleaned c = InstanceCleaner.cleanInLabelOrder(new LabelImage(width, height, labels), minArea);
        double[] scores = new double[c.source().length];
        scores[0] = Double.NaN;
        for (int l = 1; l < scores.length; l++) scores[l] = d.scores()[c.source()[l] - 1];
        return new Result(c.labels(), scores);
    }
}
