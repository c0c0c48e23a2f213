package org.nucleispark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.LabelImage;

class DatasetMetricsTest {

    private static final double[] SCORES_A = {1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0};
    private static final double[] SCORES_B = {0.5, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};

    /** Image A: 3 true, 2 predicted, 2 TP at 0.7; two matched pairs with Dice 0.9 each. */
    private static ImageEvaluation imageA() {
        return new ImageEvaluation("a", 3, 2, 0.4, SCORES_A, 0.8, 2, 0, 1, 1, 0, 1.8, 2);
    }

    /** Image B: 1 true, 4 predicted, 1 TP at 0.7; one matched pair with Dice 0.5. */
    private static ImageEvaluation imageB() {
        return new ImageEvaluation("b", 1, 4, 0.2, SCORES_B, 0.6, 1, 3, 0, 2, 3, 0.5, 1);
    }

    @Test
    void meansOverImages() {
        DatasetMetrics m = DatasetMetrics.of(List.of(imageA(), imageB()));
        assertEquals(2, m.images());
        assertEquals(0.3, m.mAP(), 1e-15);
        assertEquals(0.7, m.dice(), 1e-15);
        assertEquals(List.of("0.50", "0.55", "0.60", "0.65", "0.70", "0.75", "0.80", "0.85", "0.90", "0.95"),
                new ArrayList<>(m.ap().keySet()));
        assertEquals(0.75, m.ap().get("0.50"));
        assertEquals(0.5, m.ap().get("0.65"));
        assertEquals(0.25, m.ap().get("0.70"));
        assertEquals(0.0, m.ap().get("0.95"));
    }

    @Test
    void precisionRecallAndMatchedDiceArePooled() {
        DatasetMetrics m = DatasetMetrics.of(List.of(imageA(), imageB()));
        // Pooled: 3 TP / 6 predictions and 3 TP / 4 true nuclei. Per-image means would give
        // (1 + 0.25) / 2 = 0.625 and (2/3 + 1) / 2.
        assertEquals(0.5, m.precisionAt07());
        assertEquals(0.75, m.recallAt07());
        // (1.8 + 0.5) / 3 pairs, not the mean of per-image means (0.9 + 0.5) / 2 = 0.7.
        assertEquals(2.3 / 3, m.matchedDice(), 1e-15);
        assertEquals(3, m.oversegmentation());
        assertEquals(3, m.undersegmentation());
    }

    @Test
    void pooledPrecisionRecallFromImages() {
        // Image 1: truth has three 10x10 squares; prediction hits two exactly and the third not at all.
        LabelImage truth1 = new Canvas(40, 20).rect(0, 0, 10, 10, 1).rect(15, 0, 10, 10, 2).rect(30, 0, 10, 10, 3).image();
        LabelImage pred1 = new Canvas(40, 20).rect(0, 0, 10, 10, 1).rect(15, 0, 10, 10, 2).image();
        // Image 2: one square, predicted exactly, plus three spurious predictions and one at IoU 0.6.
        LabelImage truth2 = new Canvas(40, 20).rect(0, 0, 10, 10, 1).rect(20, 0, 10, 10, 2).image();
        LabelImage pred2 = new Canvas(40, 20).rect(0, 0, 10, 10, 1).rect(20, 0, 10, 6, 2)
                .rect(0, 15, 2, 2, 3).rect(5, 15, 2, 2, 4).rect(10, 15, 2, 2, 5).image();
        DatasetMetrics m = DatasetMetrics.of(List.of(
                ImageEvaluation.of("one", truth1, pred1), ImageEvaluation.of("two", truth2, pred2)));
        // TP at 0.7: 2 + 1 = 3; predictions 2 + 5 = 7; true nuclei 3 + 2 = 5.
        assertEquals(3.0 / 7, m.precisionAt07());
        assertEquals(3.0 / 5, m.recallAt07());
        // Matched at IoU > 0.5: 2 + 2 pairs with Dice 1, 1, 1 and 0.75.
        assertEquals(3.75 / 4, m.matchedDice());
    }

    @Test
    void noPredictionsAndNoNucleiGivePrecisionAndRecallOfOne() {
        ImageEvaluation empty = ImageEvaluation.of("e", LabelImage.empty(4, 4), LabelImage.empty(4, 4));
        DatasetMetrics m = DatasetMetrics.of(List.of(empty));
        assertEquals(1.0, m.precisionAt07());
        assertEquals(1.0, m.recallAt07());
        assertEquals(1.0, m.mAP());
        assertTrue(Double.isNaN(m.matchedDice()));
    }

    @Test
    void jsonHasExactlyTheDocumentedKeysInOrder() throws Exception {
        DatasetMetrics m = DatasetMetrics.of(List.of(imageA(), imageB()));
        JsonNode json = new ObjectMapper().readTree(m.toJson());
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        assertEquals(List.of("images", "mAP", "AP", "dice", "precision_at_0.7", "recall_at_0.7",
                "oversegmentation", "undersegmentation", "matched_dice"), keys);
        assertEquals(2, json.get("images").intValue());
        assertEquals(m.mAP(), json.get("mAP").doubleValue());
        assertEquals(0.75, json.get("AP").get("0.50").doubleValue());
        assertEquals(10, json.get("AP").size());
        assertEquals(0.5, json.get("precision_at_0.7").doubleValue());
        assertEquals(0.75, json.get("recall_at_0.7").doubleValue());
        assertEquals(3, json.get("undersegmentation").intValue());
        assertTrue(json.get("oversegmentation").isIntegralNumber());
        assertEquals(m.matchedDice(), json.get("matched_dice").doubleValue());
        assertTrue(m.toJson().contains("\n  \"mAP\""), "pretty-printed, one key per line");
    }

    @Test
    void undefinedValuesAreJsonNull() throws Exception {
        JsonNode json = new ObjectMapper().readTree(DatasetMetrics.of(List.of()).toJson());
        assertEquals(0, json.get("images").intValue());
        assertTrue(json.get("mAP").isNull());
        assertTrue(json.get("AP").get("0.75").isNull());
        assertTrue(json.get("matched_dice").isNull());
        assertEquals(1.0, json.get("precision_at_0.7").doubleValue());
    }

    @Test
    void tableShowsTheHeadlineNumbers() {
        String table = DatasetMetrics.of(List.of(imageA(), imageB())).toTable();
        assertTrue(table.contains("mAP               0.3000"), table);
        assertTrue(table.contains("AP@0.50           0.7500"), table);
        assertTrue(table.contains("AP@0.75           0.2500"), table);
        assertTrue(table.contains("P / R @0.7        0.5000 / 0.7500"), table);
        assertTrue(table.contains("over / under      3 / 3"), table);
    }
}
