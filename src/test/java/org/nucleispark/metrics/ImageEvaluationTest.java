package org.nucleispark.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nucleispark.image.LabelImage;

class ImageEvaluationTest {

    /** Truth: one 10x10 square. Prediction: its top {@code rows} rows, so IoU = rows/10. */
    private static ImageEvaluation squareVsRows(int rows) {
        LabelImage truth = new Canvas(20, 20).rect(2, 2, 10, 10, 1).image();
        LabelImage pred = new Canvas(20, 20).rect(2, 2, 10, rows, 1).image();
        return ImageEvaluation.of("img", truth, pred);
    }

    @Test
    void perfectPrediction() {
        LabelImage truth = new Canvas(20, 20).rect(0, 0, 5, 5, 1).rect(10, 10, 7, 3, 2).image();
        ImageEvaluation e = ImageEvaluation.of("a", truth, truth);
        assertEquals("a", e.imageId());
        assertEquals(2, e.nTrue());
        assertEquals(2, e.nPred());
        assertEquals(1.0, e.score());
        assertEquals(1.0, e.foregroundDice());
        assertEquals(2, e.tpAt07());
        assertEquals(0, e.fpAt07());
        assertEquals(0, e.fnAt07());
        assertEquals(2, e.matchedCount());
        assertEquals(2.0, e.matchedDiceSum());
        assertEquals(0, e.oversegmentation());
        assertEquals(0, e.undersegmentation());
    }

    @Test
    void iouSixTenths() {
        ImageEvaluation e = squareVsRows(6);
        assertEquals(0.2, e.score());
        assertArrayEquals(new double[] {1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, e.thresholdScores());
        // |X∩Y| = 60, |X| + |Y| = 160.
        assertEquals(0.75, e.foregroundDice());
        assertEquals(0, e.tpAt07());
        assertEquals(1, e.fpAt07());
        assertEquals(1, e.fnAt07());
        assertEquals(1, e.matchedCount());
        assertEquals(0.75, e.matchedDiceSum());
    }

    @Test
    void precisionRecallThresholdIsStrict() {
        assertEquals(0, squareVsRows(7).tpAt07());
        assertEquals(1, squareVsRows(8).tpAt07());
        assertEquals(0, squareVsRows(8).fpAt07());
    }

    @Test
    void matchedDiceNeedsIouAboveOneHalf() {
        ImageEvaluation e = squareVsRows(5);
        assertEquals(0, e.matchedCount());
        assertEquals(0.0, e.matchedDiceSum());
        // The foreground still overlaps: 2*50 / 150.
        assertEquals(100.0 / 150, e.foregroundDice());
    }

    @Test
    void foregroundDiceIgnoresInstanceIdentity() {
        LabelImage truth = new Canvas(20, 20).rect(0, 0, 10, 10, 1).image();
        LabelImage pred = new Canvas(20, 20).rect(0, 0, 5, 10, 1).rect(5, 0, 5, 10, 2).image();
        ImageEvaluation e = ImageEvaluation.of("split", truth, pred);
        assertEquals(1.0, e.foregroundDice());
        assertEquals(0.0, e.score());
        assertEquals(1, e.oversegmentation());
        assertEquals(0, e.undersegmentation());
    }

    @Test
    void bothEmpty() {
        ImageEvaluation e = ImageEvaluation.of("none", LabelImage.empty(5, 5), LabelImage.empty(5, 5));
        assertEquals(1.0, e.score());
        assertEquals(1.0, e.foregroundDice());
        assertEquals(0, e.nTrue());
        assertEquals(0, e.matchedCount());
    }

    @Test
    void emptyPrediction() {
        LabelImage truth = new Canvas(10, 10).rect(0, 0, 3, 3, 1).image();
        ImageEvaluation e = ImageEvaluation.of("miss", truth, LabelImage.empty(10, 10));
        assertEquals(0.0, e.score());
        assertEquals(0.0, e.foregroundDice());
        assertEquals(1, e.fnAt07());
    }

    @Test
    void sizeMismatchIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> ImageEvaluation.of("x", LabelImage.empty(5, 5), LabelImage.empty(5, 6)));
    }

    @Test
    void thresholdScoresCannotBeChangedFromOutside() {
        double[] scores = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0};
        ImageEvaluation e = new ImageEvaluation("x", 1, 1, 0.2, scores, 0.75, 0, 1, 1, 0, 0, 0.75, 1);
        scores[0] = 0.5;
        e.thresholdScores()[1] = 0.5;
        assertArrayEquals(new double[] {1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, e.thresholdScores());
        assertEquals(1.0, e.thresholdScore(1));
    }

    @Test
    void equalityComparesScoreArrayContents() {
        assertEquals(squareVsRows(6), squareVsRows(6));
        assertEquals(squareVsRows(6).hashCode(), squareVsRows(6).hashCode());
        assertNotEquals(squareVsRows(6), squareVsRows(7));
    }

    @Test
    void inconsistentCountsAreRejected() {
        double[] scores = new double[10];
        assertThrows(IllegalArgumentException.class,
                () -> new ImageEvaluation("x", 2, 1, 0, scores, 0, 1, 1, 1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageEvaluation("x", 1, 1, 0, new double[9], 0, 1, 0, 0, 0, 0, 0, 0));
    }
}
