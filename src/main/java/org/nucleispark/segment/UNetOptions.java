package org.nucleispark.segment;

import java.io.Serializable;

/**
 * Serving settings of the U-Net. Thresholds default to the values in the model's model.json
 * (tuned on out-of-fold data by the training recipe); NaN means "take the model's value".
 *
 * @param tta             average predictions over flips (4× compute, smoother boundaries)
 * @param threshold       nucleus probability above which a pixel is foreground
 * @param borderThreshold touching-border probability at or above which a pixel cannot seed a nucleus
 * @param batchSize       network inputs per engine call (tiles × flips); larger fills a GPU better
 */
public record UNetOptions(boolean tta, double threshold, double borderThreshold, int batchSize) implements Serializable {
    public static UNetOptions defaults() {
        return new UNetOptions(true, Double.NaN, Double.NaN, 4);
    }

    String describe(ModelMetadata m) {
        return "tta=" + tta + ",t=" + effectiveThreshold(m) + ",b=" + effectiveBorderThreshold(m);
    }

    double effectiveThreshold(ModelMetadata m) {
        return Double.isNaN(threshold) ? m.threshold() : threshold;
    }

    double effectiveBorderThreshold(ModelMetadata m) {
        return Double.isNaN(borderThreshold) ? m.borderThreshold() : borderThreshold;
    }
}
