package org.nucleispark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nucleispark.image.LabelImage;

class SegmentationErrorsTest {

    private static SegmentationErrors errors(LabelImage truth, LabelImage pred) {
        return SegmentationErrors.of(OverlapTable.of(truth, pred));
    }

    @Test
    void oneNucleusSplitInTwoIsOneOversegmentation() {
        LabelImage truth = new Canvas(20, 20).rect(0, 0, 10, 10, 1).image();
        LabelImage pred = new Canvas(20, 20).rect(0, 0, 5, 10, 1).rect(5, 0, 5, 10, 2).image();
        assertEquals(new SegmentationErrors(1, 0), errors(truth, pred));
    }

    @Test
    void twoNucleiMergedIntoOneIsOneUndersegmentation() {
        LabelImage truth = new Canvas(20, 20).rect(0, 0, 5, 10, 1).rect(5, 0, 5, 10, 2).image();
        LabelImage pred = new Canvas(20, 20).rect(0, 0, 10, 10, 7).image();
        assertEquals(new SegmentationErrors(0, 1), errors(truth, pred));
    }

    @Test
    void coveringExactlyHalfOfEachNucleusIsNotAMerge() {
        // The prediction holds 25 of 50 pixels of each nucleus: not more than half.
        LabelImage truth = new Canvas(20, 20).rect(0, 0, 5, 10, 1).rect(5, 0, 5, 10, 2).image();
        LabelImage pred = new Canvas(20, 20).rect(0, 0, 10, 5, 7).image();
        assertEquals(new SegmentationErrors(0, 0), errors(truth, pred));
    }

    @Test
    void fragmentMostlyOutsideTheNucleusIsNotASplit() {
        // Prediction 2 has 50 of its 150 pixels inside the nucleus: less than half.
        LabelImage truth = new Canvas(30, 20).rect(0, 0, 10, 10, 1).image();
        LabelImage pred = new Canvas(30, 20).rect(0, 0, 5, 10, 1).rect(5, 0, 15, 10, 2).image();
        assertEquals(new SegmentationErrors(0, 0), errors(truth, pred));
    }

    @Test
    void threeWaySplitCountsOnceAndEachMergeCountsSeparately() {
        // Nucleus 1 split in three; nuclei 2+3 merged, and nuclei 4+5 merged.
        LabelImage truth = new Canvas(40, 20).rect(0, 0, 9, 9, 1)
                .rect(10, 0, 4, 4, 2).rect(14, 0, 4, 4, 3)
                .rect(20, 0, 4, 4, 4).rect(24, 0, 4, 4, 5).image();
        LabelImage pred = new Canvas(40, 20).rect(0, 0, 3, 9, 1).rect(3, 0, 3, 9, 2).rect(6, 0, 3, 9, 3)
                .rect(10, 0, 8, 4, 4).rect(20, 0, 8, 4, 5).image();
        assertEquals(new SegmentationErrors(1, 2), errors(truth, pred));
    }
}
