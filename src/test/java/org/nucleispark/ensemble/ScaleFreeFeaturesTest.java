package org.nucleispark.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.LabelImage;

/**
 * {@link FeatureSet#SCALE_FREE}: the same scene at twice the magnification gives the same features (but for pixel
 * rounding), where the thesis' areas quadruple; serving computes whatever names a model lists, in its order.
 */
class ScaleFreeFeaturesTest {
    /** Discs (centre x, centre y, radius) scaled by k, labelled 1.. in order, on a (100 k)² image. */
    private static LabelImage discs(int k, double[]... discs) {
        int side = 100 * k;
        int[] px = new int[side * side];
        for (int i = 0; i < discs.length; i++) {
            double cx = discs[i][0] * k, cy = discs[i][1] * k, r = discs[i][2] * k;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) if (Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= r) px[y * side + x] = i + 1;
            }
        }
        return new LabelImage(side, side, px);
    }

    private static List<Candidate> scene(int k) {
        double[][] unet = {{20, 20, 8}, {45, 22, 9}, {70, 70, 10}, {25, 75, 4}};  // the last: a fragment
        double[][] maskrcnn = {{21, 20, 8}, {70, 71, 11}, {45, 40, 16}};           // the last: a merge
        List<Candidate> all = new ArrayList<>(Candidates.of("unet", EnsembleSelectionTest.scored(discs(k, unet), 0.9, 0.8, 0.7, 0.6)));
        all.addAll(Candidates.of("maskrcnn", EnsembleSelectionTest.scored(discs(k, maskrcnn), 0.95, 0.9, 0.85)));
        return all;
    }

    @Test
    void theSameSceneMagnifiedGivesTheSameScaleFreeFeatures() {
        List<String> names = CandidateFeatures.names(FeatureSet.SCALE_FREE, false);
        double[][] one = CandidateFeatures.of(scene(1), null, 100, 100, names);
        double[][] two = CandidateFeatures.of(scene(2), null, 200, 200, names);
        assertEquals(7, one.length);
        for (int i = 0; i < one.length; i++) {
            for (int f = 0; f < names.size(); f++) {
                String n = names.get(f);
                // relative to the value: pixel rounding of the 4-px fragment moves its perimeter by 8 %
                double tolerance = n.equals("orientation") ? 0.2 : n.equals("euler_number") || n.startsWith("neighbours") ? 0 : 0.1;
                assertEquals(one[i][f], two[i][f], tolerance * Math.max(1, Math.abs(one[i][f])), n + " of candidate " + i);
            }
        }
        double[][] thesis1 = CandidateFeatures.of(scene(1)), thesis2 = CandidateFeatures.of(scene(2));
        int area = CandidateFeatures.NAMES.indexOf("area");
        assertEquals(4.0, thesis2[0][area] / thesis1[0][area], 0.1, "the thesis' area quadruples");

        // the fragment and the merge stand out against the image's median candidate, at either magnification
        int rel = names.indexOf("area_to_image_median");
        assertTrue(one[3][rel] < 0.3 && two[3][rel] < 0.3, "fragment: " + one[3][rel]);
        assertTrue(one[6][rel] > 2.5 && two[6][rel] > 2.5, "merge: " + one[6][rel]);
        int circle = names.indexOf("perimeter_to_circle");
        assertTrue(Math.abs(one[0][circle] - 1) < 0.25, "a disc's perimeter is about its circle's: " + one[0][circle]);
    }

    @Test
    void servingComputesTheModelsNamesInTheModelsOrder() {
        List<Candidate> c = scene(1);
        double[][] thesis = CandidateFeatures.of(c);
        assertArrayEquals(thesis[2], CandidateFeatures.of(c, null, 100, 100, CandidateFeatures.NAMES)[2]);
        List<String> mixed = List.of("other_model_best_iou", "area_to_image_median", "area");
        double[][] rows = CandidateFeatures.of(c, null, 100, 100, mixed);
        double[][] free = CandidateFeatures.of(c, null, 100, 100, CandidateFeatures.SCALE_FREE_NAMES);
        for (int i = 0; i < c.size(); i++) {
            assertEquals(thesis[i][CandidateFeatures.NAMES.indexOf("other_model_best_iou")], rows[i][0]);
            assertEquals(free[i][CandidateFeatures.SCALE_FREE_NAMES.indexOf("area_to_image_median")], rows[i][1]);
            assertEquals(thesis[i][CandidateFeatures.NAMES.indexOf("area")], rows[i][2]);
        }
        assertThrows(IllegalArgumentException.class, () -> CandidateFeatures.of(c, null, 100, 100, List.of("area_px")));
        assertThrows(IllegalArgumentException.class, () -> CandidateFeatures.of(c, null, 100, 100, List.of("intensity_mean")),
                "intensity without the image's plane");
        assertEquals(FeatureSet.SCALE_FREE, FeatureSet.parse("scale-free"));
        assertThrows(IllegalArgumentException.class, () -> FeatureSet.parse("relative"));
    }

    @Test
    void aModelOfScaleFreeFeaturesLoadsAndAnUnknownFeatureIsRefused() throws IOException {
        RegressionTree constant = new RegressionTree(1.0, new int[] {-1}, new double[] {0}, new int[] {0}, new int[] {0}, new double[] {0.2});
        IouModel m = new IouModel(CandidateFeatures.SCALE_FREE_NAMES, List.of(List.of(constant)), 0.3, 0.45);
        IouModel loaded = IouModel.fromJson(m.toJson());
        assertEquals(CandidateFeatures.SCALE_FREE_NAMES, loaded.featureNames());
        assertTrue(!loaded.usesIntensity());
        assertTrue(IouModel.fromJson(new IouModel(CandidateFeatures.names(FeatureSet.SCALE_FREE, true), List.of(List.of(constant)),
                0.3, 0.45).toJson()).usesIntensity());
        String unknown = m.toJson().replace("\"perimeter_to_circle\"", "\"perimeter_to_square\"");
        IOException e = assertThrows(IOException.class, () -> IouModel.fromJson(unknown));
        assertTrue(e.getMessage().contains("perimeter_to_square") && e.getMessage().contains("retrain"), e.getMessage());
    }
}
