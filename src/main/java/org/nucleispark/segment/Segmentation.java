package org.nucleispark.segment;

import java.util.Arrays;
import org.nucleispark.image.LabelImage;

/**
 * A segmenter's answer: instances 1..n and, where the model has one, a confidence per instance
 * ({@code scores[label]}; NaN where the model gives none, as the classical one does).
 */
public record Segmentation(LabelImage labels, double[] scores) {
    public static Segmentation withoutScores(LabelImage labels) {
        double[] s = new double[labels.maxLabel() + 1];
        Arrays.fill(s, Double.NaN);
        return new Segmentation(labels, s);
    }

    public double score(int label) {
        return label < scores.length ? scores[label] : Double.NaN;
    }
}
