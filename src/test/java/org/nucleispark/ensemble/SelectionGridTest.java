package org.nucleispark.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.Segmentation;

/** The selection's settings chosen on cross-validated predictions, on scenes whose best setting is known. */
class SelectionGridTest {
    private static final int W = 64, H = 16;

    private static LabelImage rects(int[]... boxes) {
        return EnsembleSelectionTest.rects(W, H, boxes);
    }

    private static ImageCandidates image(String id, LabelImage truth, LabelImage unet, LabelImage maskrcnn) {
        List<Candidate> all = new ArrayList<>(Candidates.of("unet", Segmentation.withoutScores(unet)));
        all.addAll(Candidates.of("maskrcnn", Segmentation.withoutScores(maskrcnn)));
        return ImageCandidates.of(id, all, truth);
    }

    /**
     * Image "merge": two touching nuclei; the U-Net merges them (IoU 0.5 with each of the Mask R-CNN's two exact
     * masks) and is wrongly ranked first, so only an overlap threshold of 0.5 lets the exact masks through
     * (score 2/3: two hits, the merge a false positive). Image "duplicate": a Mask R-CNN fragment overlaps the
     * U-Net's exact mask by IoU 0.25, and only thresholds below that suppress it (score 1, else 1/2).
     */
    private static List<ImageCandidates> scenes() {
        ImageCandidates merge = image("merge", rects(new int[] {0, 0, 10, 10}, new int[] {10, 0, 20, 10}),
                rects(new int[] {0, 0, 20, 10}), rects(new int[] {0, 0, 10, 10}, new int[] {10, 0, 20, 10}));
        ImageCandidates duplicate = image("duplicate", rects(new int[] {30, 0, 40, 10}),
                rects(new int[] {30, 0, 40, 10}), rects(new int[] {36, 0, 46, 10}));
        return List.of(merge, duplicate);
    }

    /** Candidates in order: unet first, then maskrcnn (as {@link #image} adds them). */
    private static final double[][] PREDICTED = {{0.9, 0.8, 0.8}, {0.9, 0.7}};

    @Test
    void autoPicksTheOverlapWithTheBestMeanScoreAndReportsEverySetting() {
        SelectionGrid.Choice c = SelectionGrid.of(null, null).choose(scenes(), PREDICTED);
        assertEquals(0.5, c.maxOverlap(), "only 0.5 keeps the two exact masks under the merge");
        assertEquals(0.0, c.minPredicted(), "ties go to the first minimum tried");
        assertEquals((2.0 / 3 + 0.5) / 2, c.mAP(), 1e-9);
        assertEquals(SelectionGrid.OVERLAP_GRID.length, c.table().size());
        assertEquals(0.5, c.table().get("0.2").get("0.0"), 1e-4, "the fragment suppressed, the merge kept alone");
        assertEquals(0.25, c.table().get("0.3").get("0.0"), 1e-4, "the thesis' 0.3 gets neither right");
    }

    @Test
    void aFixedSettingIsAGridOfOne() {
        SelectionGrid.Choice c = SelectionGrid.of(0.2, 0.75).choose(scenes(), PREDICTED);
        assertEquals(0.2, c.maxOverlap());
        assertEquals(0.75, c.minPredicted());
        assertEquals(0.5, c.mAP(), 1e-9, "merge 0, duplicate 1");
        assertEquals(1, c.table().size());
        assertEquals(1, c.table().get("0.2").size());
    }

    @Test
    void theDefaultKeepsTheThesisOverlapAndTunesTheMinimum() {
        assertArrayEquals(new double[] {0.3}, SelectionGrid.DEFAULT.maxOverlaps());
        assertEquals(SelectionGrid.MIN_IOU_GRID.length, SelectionGrid.DEFAULT.minPredicted().length);
    }

    @Test
    void refusesSettingsOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> SelectionGrid.of(1.5, null));
        assertThrows(IllegalArgumentException.class, () -> SelectionGrid.of(null, -0.1));
        assertThrows(IllegalArgumentException.class, () -> SelectionGrid.of(Double.NaN, null));
        assertThrows(IllegalArgumentException.class, () -> new SelectionGrid(new double[0], new double[] {0}));
    }
}
