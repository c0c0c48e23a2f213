package org.nucleispark.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.LabelImage;

class DsbMetricTest {

    private static OverlapTable table(LabelImage truth, LabelImage pred) {
        return OverlapTable.of(truth, pred);
    }

    /** Truth: one 10x10 square. Prediction: a 10-wide sub-rectangle {@code rows} tall, so IoU = rows/10. */
    private static OverlapTable squareVsRows(int rows) {
        LabelImage truth = new Canvas(20, 20).rect(2, 2, 10, 10, 1).image();
        LabelImage pred = new Canvas(20, 20).rect(2, 2, 10, rows, 1).image();
        return table(truth, pred);
    }

    @Test
    void thresholdsAndKeys() {
        assertEquals(List.of("0.50", "0.55", "0.60", "0.65", "0.70", "0.75", "0.80", "0.85", "0.90", "0.95"),
                DsbMetric.thresholdKeys());
        assertEquals(0.85, DsbMetric.threshold(7));
        assertEquals(95, DsbMetric.thresholdPercent(9));
        assertThrows(IndexOutOfBoundsException.class, () -> DsbMetric.thresholdPercent(10));
    }

    @Test
    void perfectPredictionScoresOne() {
        LabelImage truth = new Canvas(20, 20).rect(0, 0, 5, 5, 1).rect(10, 10, 7, 3, 2).image();
        // Same shapes under different label numbers: identity of labels must not matter.
        LabelImage pred = new Canvas(20, 20).rect(0, 0, 5, 5, 42).rect(10, 10, 7, 3, 17).image();
        OverlapTable t = table(truth, pred);
        assertEquals(1.0, DsbMetric.imageScore(t));
        double[] ones = new double[10];
        java.util.Arrays.fill(ones, 1.0);
        assertArrayEquals(ones, DsbMetric.thresholdScores(t));
    }

    @Test
    void emptyPredictionAgainstNucleiScoresZero() {
        LabelImage truth = new Canvas(10, 10).rect(0, 0, 3, 3, 1).image();
        assertEquals(0.0, DsbMetric.imageScore(table(truth, LabelImage.empty(10, 10))));
    }

    @Test
    void predictionsOnEmptyTruthScoreZero() {
        LabelImage pred = new Canvas(10, 10).rect(0, 0, 3, 3, 1).image();
        assertEquals(0.0, DsbMetric.imageScore(table(LabelImage.empty(10, 10), pred)));
    }

    @Test
    void bothEmptyScoresOne() {
        assertEquals(1.0, DsbMetric.imageScore(table(LabelImage.empty(10, 10), LabelImage.empty(10, 10))));
        assertEquals(1.0, DsbMetric.score(0, 0, 0));
    }

    @Test
    void iouExactlySixTenthsMatchesOnlyAtFiftyAndFiftyFive() {
        OverlapTable t = squareVsRows(6);
        assertEquals(0.6, t.iou(1, 1));
        assertArrayEquals(new double[] {1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, DsbMetric.thresholdScores(t));
        assertEquals(0.2, DsbMetric.imageScore(t));
    }

    @Test
    void iouExactlyOneHalfDoesNotMatchAtFifty() {
        OverlapTable t = squareVsRows(5);
        assertEquals(0.5, t.iou(1, 1));
        assertEquals(0, DsbMetric.matches(t, 50));
        assertEquals(0.0, DsbMetric.imageScore(t));
    }

    @Test
    void iouJustAboveOneHalfMatchesAtFiftyOnly() {
        // Truth 10x10 (100 px), prediction 51 of its pixels: IoU = 0.51.
        LabelImage truth = new Canvas(20, 20).rect(0, 0, 10, 10, 1).image();
        LabelImage pred = new Canvas(20, 20).rect(0, 0, 10, 5, 1).rect(0, 5, 1, 1, 1).image();
        OverlapTable t = table(truth, pred);
        assertEquals(1, DsbMetric.matches(t, 50));
        assertEquals(0, DsbMetric.matches(t, 55));
        assertEquals(0.1, DsbMetric.imageScore(t));
    }

    @Test
    void iouExactlyNinetyFiveHundredthsMissesOnlyTheTopThreshold() {
        // Truth 20x20 = 400 px, prediction its top 20x19 = 380 px: IoU = 0.95 exactly.
        LabelImage truth = new Canvas(20, 20).rect(0, 0, 20, 20, 1).image();
        LabelImage pred = new Canvas(20, 20).rect(0, 0, 20, 19, 1).image();
        OverlapTable t = table(truth, pred);
        assertEquals(1, DsbMetric.matches(t, 90));
        assertEquals(0, DsbMetric.matches(t, 95));
        assertEquals(0.9, DsbMetric.imageScore(t), 1e-15);
    }

    @Test
    void iouExactlyEightyFiveHundredthsDoesNotMatchAtEightyFive() {
        // Truth 400 px, prediction 340 px inside it: IoU exactly 0.85 matches at 0.80, not at 0.85.
        LabelImage truth = new Canvas(20, 20).rect(0, 0, 20, 20, 1).image();
        LabelImage pred = new Canvas(20, 20).rect(0, 0, 20, 17, 1).image();
        OverlapTable t = table(truth, pred);
        assertEquals(0.85, t.iou(1, 1));
        assertEquals(1, DsbMetric.matches(t, 80));
        assertEquals(0, DsbMetric.matches(t, 85));
    }

    @Test
    void falsePositivesAndNegativesEnterTheDenominator() {
        // Two true nuclei, three predictions; only one prediction matches (perfectly).
        LabelImage truth = new Canvas(30, 30).rect(0, 0, 5, 5, 1).rect(20, 20, 5, 5, 2).image();
        LabelImage pred = new Canvas(30, 30).rect(0, 0, 5, 5, 1).rect(10, 10, 3, 3, 2).rect(0, 20, 3, 3, 3).image();
        OverlapTable t = table(truth, pred);
        // TP = 1, FP = 2, FN = 1 at every threshold.
        assertEquals(0.25, DsbMetric.imageScore(t));
    }

    @Test
    void impossibleCountsAndThresholdsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> DsbMetric.score(3, 2, 5));
        assertThrows(IllegalArgumentException.class, () -> DsbMetric.matches(squareVsRows(6), 40));
    }
}
