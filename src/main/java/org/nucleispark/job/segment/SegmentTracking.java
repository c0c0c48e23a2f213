package org.nucleispark.job.segment;

import java.io.Serializable;
import java.util.Locale;
import org.nucleispark.track.TrackOptions;

/**
 * segment's {@code --track auto|on|off} and the linking parameters it shares with {@code track}.
 * auto (the default) links when the corpus has frames: any current image of the run's model version
 * with a frame (a manifest, a {@code --pattern} with {frame}, or the pages of a multi-page TIFF).
 *
 * @param options the linking parameters ({@code --max-link-distance}, {@code --max-gap}, {@code --divisions})
 */
public record SegmentTracking(Mode mode, TrackOptions options) implements Serializable {
    public enum Mode { AUTO, ON, OFF }

    /** What segment does when nobody says: link time-lapse corpora with the default parameters. */
    public static final SegmentTracking DEFAULT = new SegmentTracking(Mode.AUTO, TrackOptions.defaults());
    public static final SegmentTracking OFF = new SegmentTracking(Mode.OFF, TrackOptions.defaults());

    public SegmentTracking {
        if (mode == null) mode = Mode.AUTO;
        if (options == null) options = TrackOptions.defaults();
    }

    /** @throws IllegalArgumentException for anything but auto, on or off */
    public static Mode parseMode(String s) {
        return switch (s == null ? "auto" : s.toLowerCase(Locale.ROOT)) {
            case "auto" -> Mode.AUTO;
            case "on" -> Mode.ON;
            case "off" -> Mode.OFF;
            default -> throw new IllegalArgumentException("--track must be auto, on or off: " + s);
        };
    }
}
