package org.nucleispark.segment;

import java.io.Serializable;
import org.nucleispark.model.ModelMetadata;

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
    /** Small enough for any GPU with a few tasks sharing it, and no slower than 1 on a CPU thread. */
    public static final int DEFAULT_BATCH_SIZE = 4;

    public UNetOptions {
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be at least 1, not " + batchSize);
    }

    public static UNetOptions defaults() {
        return new UNetOptions(true, Double.NaN, Double.NaN, DEFAULT_BATCH_SIZE);
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
