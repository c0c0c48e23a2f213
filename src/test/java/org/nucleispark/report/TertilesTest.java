package org.nucleispark.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TertilesTest {

    @Test
    void nineValuesSplitIntoThreesWithTheirRanges() {
        Tertiles t = Tertiles.of(new double[] {9, 1, 8, 2, 7, 3, 6, 4, 5});
        assertEquals(3, t.low());
        assertEquals(6, t.high());
        assertEquals(0, t.bin(3));
        assertEquals(1, t.bin(3.5));
        assertEquals(2, t.bin(6.01));
        assertEquals(3, t.count(0));
        assertEquals(3, t.count(1));
        assertEquals(3, t.count(2));
        assertEquals("1–3 px²", t.range(0, 0, "px²"));
        assertEquals("7.00–9.00", t.range(2, 2, ""));
    }

    @Test
    void manyEqualValuesLeaveTheMiddleBinEmpty() {
        // cluster sizes: most nuclei are alone
        Tertiles t = Tertiles.of(new double[] {1, 1, 1, 1, 1, 1, 1, 2, 3});
        assertEquals(1, t.low());
        assertEquals(1, t.high());
        assertEquals(7, t.count(0));
        assertEquals(0, t.count(1));
        assertEquals(2, t.count(2));
        assertEquals("1", t.range(0, 0, ""));
        assertNull(t.range(1, 0, ""));
        assertEquals("2–3", t.range(2, 0, ""));
    }

    @Test
    void noValuesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Tertiles.of(new double[0]));
    }

    @Test
    void recallPerBinIsMatchedOverTotal() {
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        boolean[] matched = {false, false, true, true, true, false, true, true, true};
        BinnedRecall r = BinnedRecall.of(Tertiles.of(v), v, matched);
        assertArrayEquals(new int[] {3, 3, 3}, r.total());
        assertArrayEquals(new int[] {1, 2, 3}, r.matched());
        assertEquals(1.0 / 3, r.recall(0), 1e-12);
        assertEquals(1.0, r.recall(2));
        BinnedRecall empty = BinnedRecall.of(Tertiles.of(v), new double[] {1}, new boolean[] {true});
        assertEquals(Double.NaN, empty.recall(1));
    }
}
