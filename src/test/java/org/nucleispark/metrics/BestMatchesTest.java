package org.nucleispark.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BestMatchesTest {

    @Test
    void bestIouAndMatchAtPointSevenPerInstance() {
        Canvas truth = new Canvas(40, 20).rect(0, 0, 10, 10, 1).rect(20, 0, 10, 10, 2).rect(0, 12, 4, 4, 3);
        Canvas pred = new Canvas(40, 20)
                .rect(1, 0, 10, 10, 1)    // 90 / 110 = 0.818 with true 1
                .rect(20, 0, 5, 10, 2)    // 50 / 100 = 0.5 with true 2
                .rect(34, 12, 4, 4, 3);   // overlaps nothing
        OverlapTable table = OverlapTable.of(truth.image(), pred.image());
        BestMatches m = BestMatches.of(table);
        assertArrayEquals(new double[] {90.0 / 110, 0.5, 0}, m.trueBestIou(), 1e-12);
        assertArrayEquals(new boolean[] {true, false, false}, m.trueMatched());
        assertArrayEquals(new double[] {90.0 / 110, 0.5, 0}, m.predBestIou(), 1e-12);
        assertArrayEquals(new boolean[] {true, false, false}, m.predMatched());
        assertEquals(DsbMetric.matches(table, 70), 1);
    }
}
