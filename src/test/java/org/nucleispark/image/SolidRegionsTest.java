package org.nucleispark.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The same cases as tests/test_canonical.py's test_only_solid_dab_counts_and_none_in_an_image_of_rings. */
class SolidRegionsTest {
    private static final int W = 30, H = 30;

    private static void fill(boolean[] m, int y0, int y1, int x0, int x1, boolean v) {
        for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) m[y * W + x] = v;
    }

    private static boolean[] or(boolean[] a, boolean[] b) {
        boolean[] out = new boolean[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] || b[i];
        return out;
    }

    private static int count(boolean[] m) {
        int n = 0;
        for (boolean v : m) if (v) n++;
        return n;
    }

    @Test
    void onlySolidDabCountsAndNoneInAnImageOfRings() {
        boolean[] blob = new boolean[W * H], ring = new boolean[W * H], ring2 = new boolean[W * H];
        fill(blob, 1, 14, 1, 14, true);            // 169 px: more than half of the DAB is solid
        fill(ring, 15, 28, 15, 28, true);
        fill(ring, 17, 26, 17, 26, false);         // a ring: filled, 169 px for its 88
        fill(ring2, 15, 28, 1, 14, true);
        fill(ring2, 17, 26, 3, 12, false);
        assertArrayEquals(blob, SolidRegions.of(or(blob, ring), W, H, 1.5, 0.5), "the blob counts, the ring does not");
        assertEquals(0, count(SolidRegions.of(or(or(blob, ring), ring2), W, H, 1.5, 0.5)), "mostly rings: none at all");
        assertArrayEquals(blob, SolidRegions.solid(or(or(blob, ring), ring2), W, H, 1.5),
                "without the share test (a block of an image that passed it) the blob still counts");
        assertEquals(169, SolidRegions.count(blob));
        boolean[] arc = ring.clone();
        fill(arc, 20, 21, 15, 18, false);          // a broken ring is solid on its own
        assertArrayEquals(arc, SolidRegions.of(arc, W, H, 1.5, 0.5));
        assertEquals(0, count(SolidRegions.of(new boolean[W * H], W, H, 1.5, 0.5)));
    }
}
