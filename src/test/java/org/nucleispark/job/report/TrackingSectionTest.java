package org.nucleispark.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The tracking section's track-length histogram bins (moved out of TrackReportAndExportTest with the class). */
class TrackingSectionTest {
    @Test
    void binsDoubleInWidth() {
        assertEquals(List.of("1", "2–3", "4–7", "8–15"), List.of(TrackingSection.binLabel(0), TrackingSection.binLabel(1),
                TrackingSection.binLabel(2), TrackingSection.binLabel(3)));
        assertEquals(List.of(0, 1, 1, 2, 4), List.of(TrackingSection.bin(1), TrackingSection.bin(2), TrackingSection.bin(3),
                TrackingSection.bin(4), TrackingSection.bin(20)));
    }
}
