package org.nucleispark.job;

import org.nucleispark.job.track.ExportJob;

import org.nucleispark.runtime.SetupException;

import org.nucleispark.track.TrackOptions;
import picocli.CommandLine.Option;

/** The linking parameters of {@code track} and {@code segment --track} (a picocli mixin: one definition, the same defaults). */
final class TrackParameters {
    @Option(names = "--max-link-distance", defaultValue = "0", paramLabel = "PX",
            description = "Largest move between linked frames in px; 0 (default) = each sequence's median nucleus diameter.")
    double maxLinkDistance;

    @Option(names = "--max-gap", defaultValue = "2", paramLabel = "FRAMES",
            description = "Frames a nucleus may be missed and still keep its track (default ${DEFAULT-VALUE}; 0 = no gap closing).")
    int maxGap;

    @Option(names = "--divisions", defaultValue = "on", paramLabel = "on|off", description = "Detect divisions (default ${DEFAULT-VALUE}).")
    String divisions;

    TrackOptions options() {
        if (!divisions.equals("on") && !divisions.equals("off")) throw new SetupException("--divisions must be on or off: " + divisions);
        try {
            return new TrackOptions(maxLinkDistance, maxGap, divisions.equals("on"), 0);
        } catch (IllegalArgumentException e) {
            throw new SetupException(e.getMessage());
        }
    }
}
