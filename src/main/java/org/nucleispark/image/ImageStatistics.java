package org.nucleispark.image;

import java.io.Serializable;
import java.util.Map;

/**
 * What a segmenter derives from a whole image before looking at any part of it: the percentile
 * bounds of its normalisation and, for the classical segmenter, the polarity and the Otsu threshold.
 * A large image is segmented block by block with the statistics of the whole image (taken from a
 * subsampled read), so that every block is scaled and thresholded alike; a block computing its own
 * would stretch a patch of empty background until its noise became nuclei.
 *
 * @param bounds              normalisation bounds (null for an ensemble, whose members hold theirs)
 * @param darkObjectsOnBright polarity: invert the normalised plane before thresholding (classical)
 * @param foregroundThreshold foreground is normalised, blurred values above this (classical; NaN otherwise)
 * @param members             an ensemble's members' statistics by member name; empty otherwise
 * @param modality            the whole image's modality for a canonical-input model (null otherwise): every block
 *                            of a large image is converted alike
 * @param scale               the factor every block is resized by before the model sees it, measured once on the
 *                            whole image (its nuclei against the model's training size); 1 = leave the blocks as they are
 * @param dabGate             whether every block's canonical input adds its DAB, decided once on the whole image's
 *                            windows ({@link DabGate}); {@link DabGate#EACH_IMAGE} = each block decides for itself
 */
public record ImageStatistics(PercentileNormaliser.Bounds bounds, boolean darkObjectsOnBright, float foregroundThreshold,
                              Map<String, ImageStatistics> members, Modality modality, double scale, DabGate dabGate)
        implements Serializable {
    public ImageStatistics {
        members = members == null ? Map.of() : Map.copyOf(members);
        if (!(scale > 0)) throw new IllegalArgumentException("scale must be positive, got " + scale);
        if (dabGate == null) dabGate = DabGate.EACH_IMAGE;
    }

    public ImageStatistics(PercentileNormaliser.Bounds bounds, boolean darkObjectsOnBright, float foregroundThreshold,
                           Map<String, ImageStatistics> members, Modality modality, double scale) {
        this(bounds, darkObjectsOnBright, foregroundThreshold, members, modality, scale, DabGate.EACH_IMAGE);
    }

    public ImageStatistics(PercentileNormaliser.Bounds bounds, boolean darkObjectsOnBright, float foregroundThreshold,
                           Map<String, ImageStatistics> members, Modality modality) {
        this(bounds, darkObjectsOnBright, foregroundThreshold, members, modality, 1.0);
    }

    public ImageStatistics(PercentileNormaliser.Bounds bounds, boolean darkObjectsOnBright, float foregroundThreshold,
                           Map<String, ImageStatistics> members) {
        this(bounds, darkObjectsOnBright, foregroundThreshold, members, null);
    }

    /** Bounds of the canonical grey plane and the modality it was made for. */
    public static ImageStatistics ofCanonical(PercentileNormaliser.Bounds bounds, Modality modality) {
        return ofCanonical(bounds, modality, DabGate.EACH_IMAGE);
    }

    /** The same, with the whole image's DAB decision. */
    public static ImageStatistics ofCanonical(PercentileNormaliser.Bounds bounds, Modality modality, DabGate dabGate) {
        return new ImageStatistics(bounds, false, Float.NaN, Map.of(), modality, 1.0, dabGate);
    }

    /** Only normalisation bounds: what the deep models need. */
    public static ImageStatistics ofBounds(PercentileNormaliser.Bounds bounds) {
        return new ImageStatistics(bounds, false, Float.NaN, Map.of());
    }

    public static ImageStatistics ofMembers(Map<String, ImageStatistics> members) {
        return new ImageStatistics(null, false, Float.NaN, members);
    }

    /** The same statistics with the blocks resized by {@code factor}. */
    public ImageStatistics withScale(double factor) {
        return new ImageStatistics(bounds, darkObjectsOnBright, foregroundThreshold, members, modality, factor, dabGate);
    }

    public ImageStatistics member(String name) {
        ImageStatistics s = members.get(name);
        if (s == null) throw new IllegalArgumentException("no statistics for member '" + name + "', only " + members.keySet());
        return s;
    }
}
