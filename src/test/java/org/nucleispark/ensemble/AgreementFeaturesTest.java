package org.nucleispark.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.Segmentation;

/**
 * {@link FeatureSet#SCALE_FREE_AGREEMENT}: how the other model's candidates lie over each candidate tells a merge of
 * two nuclei from a nucleus the other model half-found, which the thesis' best IoU (0.5 for both) cannot.
 */
class AgreementFeaturesTest {
    private static final int W = 64, H = 16;

    private static LabelImage rects(int[]... boxes) {
        int[] px = new int[W * H];
        for (int k = 0; k < boxes.length; k++) {
            for (int y = boxes[k][1]; y < boxes[k][3]; y++) for (int x = boxes[k][0]; x < boxes[k][2]; x++) px[y * W + x] = k + 1;
        }
        return new LabelImage(W, H, px);
    }

    @Test
    void aMergeHoldsTheOtherModelsTwoNucleiWhereAHalfFoundNucleusHoldsNone() {
        // U-Net: a merge of two touching 10x10 nuclei, and a whole nucleus at x 40..50.
        // Mask R-CNN: the two nuclei exactly, and the right half of the third (x 45..50).
        List<Candidate> all = new ArrayList<>(Candidates.of("unet", Segmentation.withoutScores(
                rects(new int[] {0, 0, 20, 10}, new int[] {40, 0, 50, 10}))));
        all.addAll(Candidates.of("maskrcnn", Segmentation.withoutScores(
                rects(new int[] {0, 0, 10, 10}, new int[] {10, 0, 20, 10}, new int[] {45, 0, 50, 10}))));
        List<String> names = List.of("other_model_best_iou", "other_model_inside", "covered_by_other_model",
                "largest_other_model_share");
        double[][] f = CandidateFeatures.of(all, null, W, H, names);
        assertArrayEquals(new double[] {0.5, 2, 1.0, 0.5}, f[0], 1e-12, "the merge: two of the other's nuclei inside it");
        assertArrayEquals(new double[] {0.5, 1, 0.5, 0.5}, f[1], 1e-12, "the whole nucleus: the other's half inside it");
        assertArrayEquals(new double[] {0.5, 0, 1.0, 1.0}, f[2], 1e-12, "one half of the merge: the merge is only half inside");
        assertArrayEquals(new double[] {0.5, 0, 1.0, 1.0}, f[4], 1e-12, "the half-found nucleus: all inside the U-Net's");
    }

    @Test
    void aLoneCandidateHasNoAgreement() {
        List<Candidate> all = Candidates.of("unet", Segmentation.withoutScores(rects(new int[] {0, 0, 10, 10})));
        assertArrayEquals(new double[] {0, 0, 0}, CandidateFeatures.of(all, null, W, H, CandidateFeatures.AGREEMENT_NAMES)[0]);
    }

    @Test
    void theSetIsTheScaleFreeOneWithTheAgreementAppended() {
        assertEquals(FeatureSet.SCALE_FREE_AGREEMENT, FeatureSet.parse("scale-free-agreement"));
        List<String> names = FeatureSet.SCALE_FREE_AGREEMENT.names();
        assertEquals(FeatureSet.SCALE_FREE.names(), names.subList(0, FeatureSet.SCALE_FREE.names().size()));
        assertEquals(CandidateFeatures.AGREEMENT_NAMES, names.subList(FeatureSet.SCALE_FREE.names().size(), names.size()));
    }
}
