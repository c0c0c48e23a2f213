package org.nucleispark.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameAggregatesTest {
    @Test
    void oddAndEvenCounts() {
        FrameAggregates odd = FrameAggregates.of(new int[] {30, 10, 20}, 600);
        assertEquals(new FrameAggregates(3, 20.0, 20.0, 0.1), odd);
        FrameAggregates even = FrameAggregates.of(new int[] {40, 10, 20, 100}, 1700);
        assertEquals(4, even.nNuclei());
        assertEquals(42.5, even.meanArea(), 1e-12);
        assertEquals(30.0, even.medianArea(), 1e-12, "mean of the two middle areas");
        assertEquals(0.1, even.nuclearAreaFraction(), 1e-12);
    }

    @Test
    void emptyFrameHasZeroCountAndNoAreas() {
        FrameAggregates none = FrameAggregates.of(new int[0], 400);
        assertEquals(0, none.nNuclei());
        assertTrue(Double.isNaN(none.meanArea()) && Double.isNaN(none.medianArea()));
        assertEquals(0.0, none.nuclearAreaFraction());
    }
}
