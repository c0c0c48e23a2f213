package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nucleispark.postprocess.Detections;

/** The tile bookkeeping of {@link MaskRcnnSegmenter}, without the model. */
class MaskRcnnTilingTest {
    private static Detections boxes(float[] scores, float... xyxy) {
        return new Detections(xyxy, scores, new float[scores.length * 4], 2);
    }

    @Test
    void aTileKeepsTheDetectionsWhoseBoxCentreItOwns() {
        Detections d = boxes(new float[] {0.9f, 0.8f, 0.7f}, 0, 0, 10, 10, 90, 0, 110, 10, 95, 20, 100, 30);
        // owned x in [0, 100): centres 5, 100 (not owned: the end is exclusive) and 97.5
        Detections kept = MaskRcnnSegmenter.owned(d, 0, 100, 0, 50);
        assertArrayEquals(new float[] {0.9f, 0.7f}, kept.scores());
        assertEquals(95f, kept.x1(1));
    }

    @Test
    void mergingSortsByScoreAndNmsDropsOnlyCrossTileDuplicates() {
        Detections a = boxes(new float[] {0.9f, 0.6f}, 0, 0, 10, 10, 40, 40, 50, 50);
        Detections b = boxes(new float[] {0.95f, 0.8f}, 1, 0, 11, 10, 20, 20, 30, 30);
        Detections merged = MaskRcnnSegmenter.merge(List.of(a, b), 2);
        assertArrayEquals(new float[] {0.95f, 0.9f, 0.8f, 0.6f}, merged.scores());
        // the 0.9 box overlaps the 0.95 one with IoU 9/11 > 0.5: the same nucleus seen by two tiles
        Detections kept = MaskRcnnSegmenter.suppressDuplicates(merged, 0.5);
        assertArrayEquals(new float[] {0.95f, 0.8f, 0.6f}, kept.scores());
    }
}
