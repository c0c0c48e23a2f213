package org.nucleispark.postprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MarkerWatershedTest {
    @Test
    void twoBasinsMeetAtTheRidge() {
        // 1-D valley profile over 9 columns: minima at x=1 and x=7, ridge at x=4
        int w = 9, h = 1;
        float[] land = {1, 0, 1, 2, 3, 2, 1, 0, 1};
        int[] markers = new int[w];
        markers[1] = 1;
        markers[7] = 2;
        int[] out = MarkerWatershed.flood(land, markers, null, w, h);
        assertEquals(1, out[0]);
        assertEquals(1, out[3]);
        assertEquals(2, out[5]);
        assertEquals(2, out[8]);
        // the ridge pixel goes to whichever basin reached it first; it is labelled, not left as a line
        assertEquals(true, out[4] == 1 || out[4] == 2);
    }

    @Test
    void maskConfinesTheFloodAndUnreachedPixelsStayBackground() {
        int w = 5, h = 1;
        float[] land = new float[w];
        boolean[] mask = {true, true, false, true, true};
        int[] markers = {1, 0, 0, 0, 0};
        int[] out = MarkerWatershed.flood(land, markers, mask, w, h);
        assertEquals(1, out[1]);
        assertEquals(0, out[2]);
        assertEquals(0, out[3], "pixels cut off from every marker by the mask stay 0");
    }
}
