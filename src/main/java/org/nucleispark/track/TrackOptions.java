package org.nucleispark.track;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.io.Serializable;

/**
 * Linking parameters. maxLinkDistance ≤ 0 means "from the sequence": the median equivalent diameter
 * of its nuclei (nuclei rarely move more than their own size between frames, and a fixed pixel figure
 * would be wrong at every other magnification). areaPenalty weighs relative area change into the cost
 * (0 = distance only, as TrackMate's default).
 */
public record TrackOptions(double maxLinkDistance, int maxGap, boolean divisions, double areaPenalty) implements Serializable {
    /** Bumped whenever linking changes what it outputs for the same parameters. */
    public static final String ALGORITHM_VERSION = "lap-1";

    public static TrackOptions defaults() {
        return new TrackOptions(0, 2, true, 0.0);
    }

    public TrackOptions {
        if (maxGap < 0) throw new IllegalArgumentException("maxGap must be >= 0: " + maxGap);
        if (areaPenalty < 0) throw new IllegalArgumentException("areaPenalty must be >= 0: " + areaPenalty);
    }

    /** The distance to use for a sequence whose nuclei have these areas. */
    public double linkDistanceFor(List<Spot> spots) {
        if (maxLinkDistance > 0) return maxLinkDistance;
        if (spots.isEmpty()) return 1;
        double[] d = spots.stream().mapToDouble(s -> Math.sqrt(4 * s.area() / Math.PI)).sorted().toArray();
        double median = d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
        return Math.max(1, median);
    }

    /**
     * A stable identifier of what produced a linking (like model_version): algorithm version plus a
     * hash of the parameters, so relinked rows with new parameters sit beside the old ones.
     */
    public String trackVersion() {
        String canonical = ALGORITHM_VERSION + ";maxLinkDistance=" + (maxLinkDistance > 0 ? Double.toString(maxLinkDistance) : "auto")
                + ";maxGap=" + maxGap + ";divisions=" + divisions + ";areaPenalty=" + areaPenalty;
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return ALGORITHM_VERSION + "-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
