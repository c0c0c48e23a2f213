package org.nucleispark.job;

import org.nucleispark.runtime.SetupException;

import org.nucleispark.job.segment.SegmentTracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nucleispark.track.TrackOptions;
import picocli.CommandLine;

/** segment's --track and linking parameters as the command line gives them (no Spark). */
class SegmentTrackOptionsTest {
    private static Main.Segment parse(String... args) {
        Main.Segment s = new Main.Segment();
        new CommandLine(s).parseArgs(args);
        return s;
    }

    @Test
    void trackIsAutoByDefaultOnAloneAndTakesAValue() {
        assertEquals("auto", parse("--input", "a", "--output", "b").track);
        assertEquals("on", parse("--track", "--input", "a", "--output", "b").track, "--track alone means on");
        assertEquals("on", parse("--input", "a", "--output", "b", "--track").track);
        assertEquals("off", parse("--input", "a", "--output", "b", "--track", "off").track);
        assertEquals(SegmentTracking.Mode.OFF, SegmentTracking.parseMode("OFF"));
        assertThrows(IllegalArgumentException.class, () -> SegmentTracking.parseMode("sometimes"));
    }

    @Test
    void linkingParametersAreTrackCommandOnes() {
        Main.Segment s = parse("--input", "a", "--output", "b", "--max-gap", "0", "--divisions", "off", "--max-link-distance", "12.5");
        assertEquals(new TrackOptions(12.5, 0, false, 0), s.link.options());
        assertEquals(TrackOptions.defaults(), parse("--input", "a", "--output", "b").link.options());
        assertEquals(TrackOptions.defaults().trackVersion(), parse("--input", "a", "--output", "b").link.options().trackVersion(),
                "segment's default linking is track's: the same track_version, so the two replace each other's rows");
        assertThrows(SetupException.class, () -> parse("--input", "a", "--output", "b", "--divisions", "maybe").link.options());
        assertThrows(SetupException.class, () -> parse("--input", "a", "--output", "b", "--max-gap", "-1").link.options());
    }
}
