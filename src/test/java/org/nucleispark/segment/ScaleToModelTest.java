package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The nucleus-scale estimate on discs of known size, and the rescale factor it leads to. */
class ScaleToModelTest {
    /** A w×h unit plane with bright discs of the given radius on a grid, none touching. */
    private static float[] discs(int w, int h, int radius, int spacing) {
        float[] p = new float[w * h];
        for (int cy = spacing / 2; cy < h; cy += spacing) {
            for (int cx = spacing / 2; cx < w; cx += spacing) {
                for (int y = Math.max(0, cy - radius); y <= Math.min(h - 1, cy + radius); y++) {
                    for (int x = Math.max(0, cx - radius); x <= Math.min(w - 1, cx + radius); x++) {
                        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius) p[y * w + x] = 0.9f;
                    }
                }
            }
        }
        return p;
    }

    @Test
    void theEstimateFollowsTheDiscDiameter() {
        for (int r : new int[] {5, 10, 25}) {
            double d = NucleusDiameter.estimate(discs(400, 400, r, 4 * r + 8), 400, 400);
            // the largest distance inside a disc of radius r is r (+1 for the centre pixel's own distance)
            assertEquals(2.0 * r, d, 2.5, "radius " + r);
        }
    }

    @Test
    void twoTouchingDiscsCountAsOneNucleusSize() {
        float[] a = discs(200, 200, 10, 60);
        // a second disc 18 px to the right of each: a clump of two
        float[] b = a.clone();
        for (int y = 0; y < 200; y++) for (int x = 0; x < 182; x++) if (a[y * 200 + x] > 0) b[y * 200 + x + 18] = 0.9f;
        double single = NucleusDiameter.estimate(a, 200, 200);
        double clumped = NucleusDiameter.estimate(b, 200, 200);
        assertEquals(single, clumped, 2.0);
    }

    @Test
    void anEmptyPlaneHasNoEstimateAndIsLeftAlone() {
        assertTrue(Double.isNaN(NucleusDiameter.estimate(new float[100], 10, 10)));
        assertEquals(1.0, ScaleToModel.factor(Double.NaN, 14.5, 500, 500));
        assertEquals(1.0, ScaleToModel.factor(20, Double.NaN, 500, 500), "a model without a recorded scale");
    }

    @Test
    void onlyMismatchesBeyondTheTriggersAreRescaledAndWithinClamps() {
        assertEquals(1.0, ScaleToModel.factor(20, 14.5, 500, 500));       // 0.725: inside the training's range
        assertEquals(14.5 / 25, ScaleToModel.factor(25, 14.5, 500, 500), 1e-12); // nuclei 1.7x the model's: shrunk
        assertEquals(1.0, ScaleToModel.factor(8.5, 14.5, 500, 500));      // 1.7x smaller: within 0.5-2x, left alone
        assertEquals(2.0, ScaleToModel.factor(7, 14.5, 500, 500));        // beyond 2x smaller: enlarged (clamped at 2)
        assertEquals(14.5 / 100, ScaleToModel.factor(100, 14.5, 1000, 1000), 1e-12);
        assertEquals(ScaleToModel.MAX_FACTOR, ScaleToModel.factor(3, 14.5, 500, 500));
        assertEquals(ScaleToModel.MIN_FACTOR, ScaleToModel.factor(1000, 14.5, 5000, 5000));
        // a 200-px image is never shrunk below 64 px
        assertEquals(64.0 / 200, ScaleToModel.factor(100, 14.5, 200, 300), 1e-12);
    }

    /** The Mask R-CNN's triggers (model.json serving: shrink beyond 3x, never enlarge). */
    @Test
    void aModelsOwnTriggersShrinkLaterAndNeverEnlarge() {
        double never = Double.POSITIVE_INFINITY;
        assertEquals(1.0, ScaleToModel.factor(25, 14, 500, 500, 3.0, never));       // 1.8x: the U-Net would shrink
        assertEquals(1.0, ScaleToModel.factor(41, 14, 500, 500, 3.0, never));       // 2.9x: left alone
        assertEquals(14.0 / 50, ScaleToModel.factor(50, 14, 1000, 1000, 3.0, never), 1e-12);
        assertEquals(1.0, ScaleToModel.factor(3, 14, 500, 500, 3.0, never));        // tiny nuclei: never enlarged
        assertEquals(64.0 / 200, ScaleToModel.factor(140, 14, 200, 300, 3.0, never), 1e-12); // the 64-px floor holds
    }

    @Test
    void resizingThereAndBackKeepsAConstantPlane() {
        float[] p = new float[40 * 30];
        java.util.Arrays.fill(p, 0.25f);
        float[][] small = ScaleToModel.resize(new float[][] {p, p}, 40, 30, 10, 8);
        assertEquals(80, small[0].length);
        float[][] back = ScaleToModel.resize(small, 10, 8, 40, 30);
        for (float v : back[1]) assertEquals(0.25f, v, 1e-6f);
    }

    @Test
    void theDiameterOptionParses() {
        assertTrue(Double.isNaN(UNetOptions.parseDiameter("auto")));
        assertEquals(0.0, UNetOptions.parseDiameter("off"));
        assertEquals(42.0, UNetOptions.parseDiameter("42"));
        assertThrows(IllegalArgumentException.class, () -> UNetOptions.parseDiameter("-3"));
        assertThrows(IllegalArgumentException.class, () -> UNetOptions.parseDiameter("big"));
    }
}
