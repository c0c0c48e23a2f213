package org.nucleispark.image;

import java.util.Arrays;

/**
 * A segmenter's answer: instances 1..n and, where the model has one, a confidence per instance
 * ({@code scores[label]}; NaN where the model gives none, as the classical one does).
 *
 * <p>An ensemble's answer also says, per instance, which member model proposed it
 * ({@code sources[label]}) and the IoU with the true nucleus that the ensemble predicted for it
 * ({@code predictedIou[label]}); both arrays are null for a single model, whose instances are all its own.
 */
public record Segmentation(LabelImage labels, double[] scores, String[] sources, double[] predictedIou) {
    public Segmentation(LabelImage labels, double[] scores) {
        this(labels, scores, null, null);
    }

    public static Segmentation withoutScores(LabelImage labels) {
        double[] s = new double[labels.maxLabel() + 1];
        Arrays.fill(s, Double.NaN);
        return new Segmentation(labels, s);
    }

    public double score(int label) {
        return label < scores.length ? scores[label] : Double.NaN;
    }

    /** The model that proposed instance {@code label}: a member's name, or {@code self} when there are no members. */
    public String source(int label, String self) {
        return sources == null || label >= sources.length || sources[label] == null ? self : sources[label];
    }

    /** The ensemble's predicted IoU of instance {@code label}; NaN outside an ensemble. */
    public double predictedIou(int label) {
        return predictedIou == null || label >= predictedIou.length ? Double.NaN : predictedIou[label];
    }
}
