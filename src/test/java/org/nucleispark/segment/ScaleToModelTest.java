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

    /** Discs of radius r on a grid with, between them, specks of side/2 x side pixels (the haematoxylin plane's speckle). */
    private static float[] discsAndSpecks(int w, int h, int radius, int spacing, int speck) {
        float[] p = discs(w, h, radius, spacing);
        for (int cy = 0; cy + speck < h; cy += spacing / 4) {
            for (int cx = 0; cx + speck < w; cx += spacing / 4) {
                boolean clear = true; // keep specks off the discs and apart
                for (int y = cy - 1; y <= cy + speck && clear; y++) for (int x = cx - 1; x <= cx + speck; x++) {
                    if (y >= 0 && x >= 0 && p[y * w + x] > 0) { clear = false; break; }
                }
                if (!clear) continue;
                for (int y = cy; y < cy + speck / 2; y++) for (int x = cx; x < cx + speck; x++) p[y * w + x] = 0.9f;
            }
        }
        return p;
    }

    @Test
    void theWeightedEstimateIgnoresSpecksAtAnyMagnification() {
        // 1x: specks of 3x6 = 18 px pass the 10-px filter and outnumber the discs; the plain median reads a speck
        float[] one = discsAndSpecks(400, 400, 10, 80, 6);
        assertTrue(NucleusDiameter.estimate(one, 400, 400) < 6, "plain: " + NucleusDiameter.estimate(one, 400, 400));
        assertEquals(20.0, NucleusDiameter.estimateWeighted(one, 400, 400), 2.5);
        // 2x: everything twice as large; the weighted estimate doubles
        float[] two = discsAndSpecks(800, 800, 20, 160, 12);
        assertEquals(40.0, NucleusDiameter.estimateWeighted(two, 800, 800), 3.0);
        assertTrue(Double.isNaN(NucleusDiameter.estimateWeighted(new float[100], 10, 10)));
        // no specks: the weighted estimate is the plain one
        float[] clean = discs(400, 400, 10, 48);
        assertEquals(NucleusDiameter.estimate(clean, 400, 400), NucleusDiameter.estimateWeighted(clean, 400, 400), 1e-9);
    }

    private static org.nucleispark.model.ModelMetadata model(String histologyBlock, String histologyTrigger) {
        return org.nucleispark.model.ModelMetadata.parse("{\"name\":\"m\",\"file\":\"m.pt\",\"sha256\":\"0123456789abcdef\","
                + "\"input_channels\":3,\"output_channels\":2,\"size_multiple\":16,\"tile_size\":256,"
                + "\"normalisation\":{\"method\":\"percentile\",\"low\":1,\"high\":99.8},"
                + "\"nucleus_diameter\":{\"median_estimate\":14" + histologyBlock + "},"
                + "\"serving\":{\"shrink_above\":3.0,\"enlarge\":false" + histologyTrigger + "}}", "test");
    }

    /** Histology is measured by the weighted estimate against its own training median, with its own trigger. */
    @Test
    void histologyIsBroughtToItsOwnTrainingMedianWhenTheModelRecordsOne() {
        var withBlock = model(",\"histology\":{\"median_estimate\":22}", ",\"shrink_above_histology\":1.5");
        var without = model("", "");
        float[] plane = discsAndSpecks(400, 400, 20, 80, 6); // nuclei 40 px, specks
        double weighted = NucleusDiameter.estimateWeighted(plane, 400, 400);
        assertEquals(22 / weighted, ScaleToModel.factor(Double.NaN, plane, org.nucleispark.image.Modality.HISTOLOGY, withBlock, 400, 400), 1e-12);
        // the same plane as fluorescence, or with a model that records no histology median: the plain rule leaves it
        assertEquals(1.0, ScaleToModel.factor(Double.NaN, plane, org.nucleispark.image.Modality.FLUORESCENCE, withBlock, 400, 400));
        assertEquals(1.0, ScaleToModel.factor(Double.NaN, plane, org.nucleispark.image.Modality.HISTOLOGY, without, 400, 400));
        // the user's pixels are compared with the histology median and trigger; off stays off
        assertEquals(22.0 / 40, ScaleToModel.factor(40, plane, org.nucleispark.image.Modality.HISTOLOGY, withBlock, 400, 400), 1e-12);
        assertEquals(1.0, ScaleToModel.factor(30, plane, org.nucleispark.image.Modality.HISTOLOGY, withBlock, 400, 400)); // 1.36x < 1.5
        assertEquals(1.0, ScaleToModel.factor(0, plane, org.nucleispark.image.Modality.HISTOLOGY, withBlock, 400, 400));
        // without serving.shrink_above_histology the model's shrink_above (3x) applies: 40 / 22 = 1.8x, left alone
        var noTrigger = model(",\"histology\":{\"median_estimate\":22}", "");
        assertEquals(1.0, ScaleToModel.factor(40, plane, org.nucleispark.image.Modality.HISTOLOGY, noTrigger, 400, 400));
        assertEquals("", ScaleToModel.histologySettings(without), "older versions stand");
        assertEquals(",dh=22.0,shrinkh=1.5", ScaleToModel.histologySettings(withBlock));
    }

    /** Histology whose nuclei look less than 1 / serving.enlarge_histology_below of its median is enlarged (at most 2x). */
    @Test
    void lowMagnificationHistologyIsEnlargedOnlyWhenTheModelSaysSo() {
        var enlarging = model(",\"histology\":{\"median_estimate\":22}",
                ",\"shrink_above_histology\":1.1,\"enlarge_histology_below\":1.5");
        var shrinkingOnly = model(",\"histology\":{\"median_estimate\":22}", ",\"shrink_above_histology\":1.1");
        float[] small = discs(400, 400, 6, 30); // nuclei about 12 px: under 22 / 1.5
        double weighted = NucleusDiameter.estimateWeighted(small, 400, 400);
        assertTrue(weighted < 22 / 1.5, "estimate " + weighted);
        assertEquals(22 / weighted, ScaleToModel.factor(Double.NaN, small, org.nucleispark.image.Modality.HISTOLOGY, enlarging, 400, 400), 1e-12);
        assertEquals(1.0, ScaleToModel.factor(Double.NaN, small, org.nucleispark.image.Modality.HISTOLOGY, shrinkingOnly, 400, 400));
        assertEquals(1.0, ScaleToModel.factor(Double.NaN, small, org.nucleispark.image.Modality.FLUORESCENCE, enlarging, 400, 400),
                "other modalities keep serving.enlarge (false)");
        assertEquals(1.0, ScaleToModel.factor(16, small, org.nucleispark.image.Modality.HISTOLOGY, enlarging, 400, 400)); // 22/16 < 1.5
        assertEquals(ScaleToModel.MAX_FACTOR, ScaleToModel.factor(5, small, org.nucleispark.image.Modality.HISTOLOGY, enlarging, 400, 400));
        assertEquals(",dh=22.0,shrinkh=1.1,enlargeh=1.5", ScaleToModel.histologySettings(enlarging));
    }
}
