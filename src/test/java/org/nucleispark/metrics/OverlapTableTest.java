package org.nucleispark.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nucleispark.image.LabelImage;

class OverlapTableTest {

    @Test
    void sizeMismatchNamesBothSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OverlapTable.of(LabelImage.empty(3, 4), LabelImage.empty(4, 3)));
        assertTrue(e.getMessage().contains("3x4"), e.getMessage());
        assertTrue(e.getMessage().contains("4x3"), e.getMessage());
    }

    @Test
    void negativeLabelIsRejected() {
        int[] pred = new int[4];
        pred[3] = -2;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OverlapTable.of(LabelImage.empty(2, 2), new LabelImage(2, 2, pred)));
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
        assertTrue(e.getMessage().contains("x=1, y=1"), e.getMessage());
    }

    @Test
    void areasAndIntersectionsWithNonContiguousLabels() {
        // Truth: label 7 is a 4x4 square at (0,0), label 300 a 2x3 block at (6,0).
        LabelImage truth = new Canvas(10, 6).rect(0, 0, 4, 4, 7).rect(6, 0, 2, 3, 300).image();
        // Prediction: label 5 covers columns 2..7 of rows 0..1 (6x2), label 9 is a 1x1 in empty space.
        LabelImage pred = new Canvas(10, 6).rect(2, 0, 6, 2, 5).rect(9, 5, 1, 1, 9).image();
        OverlapTable t = OverlapTable.of(truth, pred);

        assertArrayEquals(new int[] {7, 300}, t.trueLabels());
        assertArrayEquals(new int[] {5, 9}, t.predLabels());
        assertEquals(16, t.trueArea(7));
        assertEquals(6, t.trueArea(300));
        assertEquals(12, t.predArea(5));
        assertEquals(1, t.predArea(9));
        assertEquals(0, t.trueArea(8));
        // 5 ∩ 7: columns 2..3, rows 0..1 = 4 pixels; 5 ∩ 300: columns 6..7, rows 0..1 = 4 pixels.
        assertEquals(4, t.intersection(7, 5));
        assertEquals(4, t.intersection(300, 5));
        assertEquals(0, t.intersection(7, 9));
        assertEquals(2, t.pairCount());
        assertEquals(4.0 / (16 + 12 - 4), t.iou(7, 5));
        assertEquals(4.0 / (6 + 12 - 4), t.iou(300, 5));
        assertEquals(0.0, t.iou(7, 9));
        assertEquals(22, t.trueForeground());
        assertEquals(13, t.predForeground());
        assertEquals(8, t.foregroundIntersection());
    }

    @Test
    void pairAccessorsAgreeWithLabelLookups() {
        LabelImage truth = new Canvas(8, 8).rect(0, 0, 4, 4, 2).rect(4, 4, 4, 4, 1).image();
        LabelImage pred = new Canvas(8, 8).rect(1, 1, 6, 6, 3).image();
        OverlapTable t = OverlapTable.of(truth, pred);
        assertEquals(2, t.pairCount());
        // Pairs come sorted by true label: (1,3) then (2,3).
        assertEquals(1, t.pairTrueLabel(0));
        assertEquals(2, t.pairTrueLabel(1));
        assertEquals(3, t.pairPredLabel(0));
        assertEquals(0, t.pairTrueIndex(0));
        assertEquals(1, t.pairTrueIndex(1));
        assertEquals(0, t.pairPredIndex(1));
        assertEquals(9, t.pairIntersection(0));
        assertEquals(16 + 36 - 9, t.pairUnion(0));
        assertEquals(t.iou(2, 3), t.pairIou(1));
        assertEquals(16, t.pairTrueArea(1));
        assertEquals(36, t.pairPredArea(1));
    }

    @Test
    void largeImageWithFiveHundredInstances() {
        // 500 true 40x40 squares on a 25x20 grid; each prediction is its square shifted right by 4 px
        // and so overlaps 36x40 of it: IoU = 1440 / (1600 + 1600 - 1440).
        int w = 1000;
        int h = 800;
        Canvas truthCanvas = new Canvas(w, h);
        Canvas predCanvas = new Canvas(w, h);
        int label = 0;
        for (int gy = 0; gy < 20; gy++) {
            for (int gx = 0; gx < 25; gx++) {
                label++;
                truthCanvas.rect(gx * 40, gy * 40, 40, 40, label);
                predCanvas.rect(gx * 40 + 4, gy * 40, gx == 24 ? 36 : 40, 40, 1000 + label);
            }
        }
        OverlapTable t = OverlapTable.of(truthCanvas.image(), predCanvas.image());
        assertEquals(500, t.trueCount());
        assertEquals(500, t.predCount());
        // Each prediction also covers 4 columns of its right-hand neighbour, except in the last column.
        assertEquals(500 + 20 * 24, t.pairCount());
        assertEquals(1440.0 / 1760, t.iou(1, 1001));
        assertEquals(160, t.intersection(2, 1001));
        assertEquals(1440, t.predArea(1025));
    }
}
