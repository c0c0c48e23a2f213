package org.nucleispark.segment;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
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
 * @param ttaModalities   --tta-modalities: with tta and a canonical-input model, the modalities whose images get the
 *                        TTA views; the others run one view. Null = all. A model without the canonical input has no
 *                        modality, so with tta every image gets the views
 */
public record UNetOptions(boolean tta, double threshold, double borderThreshold, int batchSize, Modality modality,
                          double nucleusDiameter, InferenceEngine engine, long passPixels, int ttaFlips,
                          Set<Modality> ttaModalities) implements Serializable {
    public static final int DEFAULT_TTA_FLIPS = 4;
    public static final Set<Modality> ALL_MODALITIES = Collections.unmodifiableSet(EnumSet.allOf(Modality.class));
    /**
     * TTA where it earns its cost: on the generalisation benchmark's held-out histology the four views gave the
     * ensemble 0.285–0.291 against 0.276 with one view; on the other types the differences were within the
     * noise of refitting the trees (0.006). Every image's views cost 1.4× the default's time on bin/bench 4
     * (docs/benchmarks.md, "TTA by modality").
     */
    public static final String DEFAULT_TTA_MODALITIES_TEXT = "histology"; // --tta-modalities' default: a constant
    public static final Set<Modality> DEFAULT_TTA_MODALITIES =
            Collections.unmodifiableSet(EnumSet.copyOf(parseTtaModalities(DEFAULT_TTA_MODALITIES_TEXT)));
    /** Small enough for any GPU with a few tasks sharing it, and no slower than 1 on a CPU thread. */
    public static final int DEFAULT_BATCH_SIZE = 4;
    /**
     * 1448² without TTA, 724² with its four views: every DSB-sized image (up to 1024²) in one pass without TTA.
     * Measured on bin/bench 4 with one view for most images: 4 Mi (a 1024² image enlarged 2× by the nucleus
     * rescale ran in one 2048² pass) took 56.7–65.7 s and peaked at 7.9 GB; 2 Mi (that image tiled) 47.3 s
     * and 2.4 GB: a pass that large is slower than its tiles on ONNX Runtime (docs/benchmarks.md).
     */
    public static final long DEFAULT_PASS_PIXELS = 2L << 20;

    public UNetOptions {
        if (engine == null) engine = InferenceEngine.AUTO;
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be at least 1, not " + batchSize);
        if (ttaFlips != 2 && ttaFlips != 4) throw new IllegalArgumentException("--tta-flips must be 2 or 4, not " + ttaFlips);
        if (passPixels < 0) throw new IllegalArgumentException("--pass-pixels must be 0 (always tile) or more, not " + passPixels);
        if (nucleusDiameter < 0 || Double.isInfinite(nucleusDiameter)) {
            throw new IllegalArgumentException("--nucleus-diameter must be auto, off or a positive number of pixels, not " + nucleusDiameter);
        }
        if (ttaModalities == null) ttaModalities = ALL_MODALITIES;
        if (ttaModalities.isEmpty()) {
            throw new IllegalArgumentException("--tta-modalities must name at least one modality (--no-tta runs one view everywhere)");
        }
        ttaModalities = Collections.unmodifiableSet(EnumSet.copyOf(ttaModalities));
    }

    /** TTA, when on, on every image (the behaviour before --tta-modalities). */
    public UNetOptions(boolean tta, double threshold, double borderThreshold, int batchSize, Modality modality,
                       double nucleusDiameter, InferenceEngine engine, long passPixels, int ttaFlips) {
        this(tta, threshold, borderThreshold, batchSize, modality, nucleusDiameter, engine, passPixels, ttaFlips, ALL_MODALITIES);
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

    /** Parses --tta-modalities: {@code all} or a comma-separated list of modality names. */
    public static Set<Modality> parseTtaModalities(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--tta-modalities must be all or a list of fluorescence, brightfield, histology");
        }
        if (text.trim().equalsIgnoreCase("all")) return ALL_MODALITIES;
        Set<Modality> set = EnumSet.noneOf(Modality.class);
        for (String part : text.split(",")) {
            Modality m = Modality.ofKey(part.trim().toLowerCase(Locale.ROOT));
            if (m == null) {
                throw new IllegalArgumentException("--tta-modalities takes all or modality names (fluorescence, brightfield, "
                        + "histology), not '" + part.trim() + "'");
            }
            set.add(m);
        }
        return set;
    }

    /** What the CLI runs without options: TTA on the modalities where it pays ({@link #DEFAULT_TTA_MODALITIES}). */
    public static UNetOptions defaults() {
        return new UNetOptions(true, Double.NaN, Double.NaN, DEFAULT_BATCH_SIZE, null, Double.NaN, InferenceEngine.AUTO,
                DEFAULT_PASS_PIXELS, DEFAULT_TTA_FLIPS, DEFAULT_TTA_MODALITIES);
    }

    /** Views the network runs per tile on an image that gets TTA: 1 without TTA. */
    public int flips() {
        return tta ? ttaFlips : 1;
    }

    /** Views for an image of this modality; null (a model without the canonical input) gets TTA's views. */
    public int flipsFor(Modality imageModality) {
        return imageModality == null || ttaModalities.contains(imageModality) ? flips() : 1;
    }

    /** --tta-modalities as typed: all, or the names joined by commas. */
    public String ttaModalitiesText() {
        return ttaModalities.equals(ALL_MODALITIES) ? "all"
                : ttaModalities.stream().map(Modality::key).collect(Collectors.joining(","));
    }

    String describe(ModelMetadata m) {
        // The modality joins the version only when it is forced: "auto" keeps the versions older runs recorded.
        // tta=true stays the four-flip version older runs recorded; two flips are "tta=2"
        return "tta=" + (tta && ttaFlips != 4 ? String.valueOf(ttaFlips) : String.valueOf(tta)) + ",t=" + effectiveThreshold(m) + ",b=" + effectiveBorderThreshold(m)
                + (Double.isNaN(m.markerMargin()) ? "" : ",mm=" + m.markerMargin()) // absent: the versions stand
                + (m.smoothSigma() == 0 ? "" : ",ms=" + m.smoothSigma())
                + (modality == null ? "" : ",m=" + modality.key())
                + (Double.isNaN(nucleusDiameter) ? "" : ",d=" + nucleusDiameter)
                + (passPixels == 0 ? "" : ",p=" + passPixels) // 0 keeps the versions of tiled runs
                + (tta && !ttaModalities.equals(ALL_MODALITIES) ? ",tm=" + ttaModalitiesText() : "") // all: as before
                // model.json's serving rule can change without the weights' sha256; absent, the versions stand
                + (Double.isNaN(m.shrinkAbove()) ? "" : ",shrink=" + m.shrinkAbove()) + (m.enlarge() ? "" : ",enlarge=never")
                + ScaleToModel.histologySettings(m)
                + (m.canonical() == null ? "" : m.canonical().settings());
    }

    double effectiveThreshold(ModelMetadata m) {
        return Double.isNaN(threshold) ? m.threshold() : threshold;
    }

    double effectiveBorderThreshold(ModelMetadata m) {
        return Double.isNaN(borderThreshold) ? m.borderThreshold() : borderThreshold;
    }
}
