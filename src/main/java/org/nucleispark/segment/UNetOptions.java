package org.nucleispark.segment;

import java.io.Serializable;
import org.nucleispark.image.Modality;
import org.nucleispark.model.ModelMetadata;

/**
 * Serving settings of the U-Net. Thresholds default to the values in the model's model.json
 * (tuned on out-of-fold data by the training recipe); NaN means "take the model's value".
 *
 * @param tta             average predictions over flips (4× compute, smoother boundaries)
 * @param threshold       nucleus probability above which a pixel is foreground
 * @param borderThreshold touching-border probability at or above which a pixel cannot seed a nucleus
 * @param batchSize       network inputs per engine call (tiles × flips); larger fills a GPU better
 * @param modality        for a canonical-input model: the modality every image is taken to have; null = detect per
 *                        image (--modality auto)
 * @param nucleusDiameter --nucleus-diameter: NaN = estimate per image (auto), 0 = never rescale (off), else the
 *                        typical nucleus diameter in pixels of every image
 * @param engine          --engine: which DJL engine runs the network (null = auto). Not part of the version: both give
 *                        the same probabilities within float tolerance, as CPU and GPU do
 * @param passPixels      --pass-pixels: an image whose padded pixels × TTA flips are at most this runs in one
 *                        whole-image pass instead of tiles; 0 = always tile. Part of the version (no seams to blend)
 * @param ttaFlips        --tta-flips: with tta, the views averaged, 2 (as is and rotated by 180°) or 4 (every flip)
 */
public record UNetOptions(boolean tta, double threshold, double borderThreshold, int batchSize, Modality modality,
                          double nucleusDiameter, InferenceEngine engine, long passPixels, int ttaFlips) implements Serializable {
    public static final int DEFAULT_TTA_FLIPS = 4;
    /** Small enough for any GPU with a few tasks sharing it, and no slower than 1 on a CPU thread. */
    public static final int DEFAULT_BATCH_SIZE = 4;
    /**
     * 2048² without TTA, 1024² with it: every DSB-sized image in one pass. Measured: a JVM that had run a
     * 1-MP image with its four flips in one ONNX Runtime call peaked at 3.4 GB (docs/benchmarks.md).
     */
    public static final long DEFAULT_PASS_PIXELS = 4L << 20;

    public UNetOptions {
        if (engine == null) engine = InferenceEngine.AUTO;
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be at least 1, not " + batchSize);
        if (ttaFlips != 2 && ttaFlips != 4) throw new IllegalArgumentException("--tta-flips must be 2 or 4, not " + ttaFlips);
        if (passPixels < 0) throw new IllegalArgumentException("--pass-pixels must be 0 (always tile) or more, not " + passPixels);
        if (nucleusDiameter < 0 || Double.isInfinite(nucleusDiameter)) {
            throw new IllegalArgumentException("--nucleus-diameter must be auto, off or a positive number of pixels, not " + nucleusDiameter);
        }
    }

    public UNetOptions(boolean tta, double threshold, double borderThreshold, int batchSize, Modality modality,
                       double nucleusDiameter, InferenceEngine engine, long passPixels) {
        this(tta, threshold, borderThreshold, batchSize, modality, nucleusDiameter, engine, passPixels, DEFAULT_TTA_FLIPS);
    }

    public UNetOptions(boolean tta, double threshold, double borderThreshold, int batchSize) {
        this(tta, threshold, borderThreshold, batchSize, null, Double.NaN);
    }

    public UNetOptions(boolean tta, double threshold, double borderThreshold, int batchSize, Modality modality,
                       double nucleusDiameter) {
        this(tta, threshold, borderThreshold, batchSize, modality, nucleusDiameter, InferenceEngine.AUTO, DEFAULT_PASS_PIXELS);
    }

    /** Parses --nucleus-diameter: auto (NaN), off (0) or pixels. */
    public static double parseDiameter(String text) {
        if (text == null || text.equalsIgnoreCase("auto")) return Double.NaN;
        if (text.equalsIgnoreCase("off")) return 0;
        try {
            double d = Double.parseDouble(text);
            if (d > 0 && !Double.isInfinite(d)) return d;
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("--nucleus-diameter must be auto, off or a positive number of pixels, not '" + text + "'");
    }

    public static UNetOptions defaults() {
        return new UNetOptions(true, Double.NaN, Double.NaN, DEFAULT_BATCH_SIZE);
    }

    /** Views the network runs per tile: 1 without TTA. */
    public int flips() {
        return tta ? ttaFlips : 1;
    }

    String describe(ModelMetadata m) {
        // The modality joins the version only when it is forced: "auto" keeps the versions older runs recorded.
        // tta=true stays the four-flip version older runs recorded; two flips are "tta=2"
        return "tta=" + (tta && ttaFlips != 4 ? String.valueOf(ttaFlips) : String.valueOf(tta)) + ",t=" + effectiveThreshold(m) + ",b=" + effectiveBorderThreshold(m)
                + (modality == null ? "" : ",m=" + modality.key())
                + (Double.isNaN(nucleusDiameter) ? "" : ",d=" + nucleusDiameter)
                + (passPixels == 0 ? "" : ",p=" + passPixels); // 0 keeps the versions of tiled runs
    }

    double effectiveThreshold(ModelMetadata m) {
        return Double.isNaN(threshold) ? m.threshold() : threshold;
    }

    double effectiveBorderThreshold(ModelMetadata m) {
        return Double.isNaN(borderThreshold) ? m.borderThreshold() : borderThreshold;
    }
}
