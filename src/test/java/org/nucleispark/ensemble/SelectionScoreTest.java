package org.nucleispark.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.LabelImage;
import org.nucleispark.metrics.DsbMetric;
import org.nucleispark.metrics.OverlapTable;
import org.nucleispark.image.Segmentation;

/** Scoring selections from overlap statistics must agree with the DSB metric on painted images. */
class SelectionScoreTest {
    private static final int W = 64, H = 48;

    /** Random non-overlapping rectangles (each model's instances never overlap each other). */
    private static LabelImage randomRects(Random rnd, int n) {
        int[] px = new int[W * H];
        int label = 0;
        for (int k = 0; k < n; k++) {
            int x0 = rnd.nextInt(W - 6), y0 = rnd.nextInt(H - 6);
            int x1 = x0 + 2 + rnd.nextInt(6), y1 = y0 + 2 + rnd.nextInt(6);
            boolean free = true;
            for (int y = y0; y < y1 && free; y++) for (int x = x0; x < x1; x++) if (px[y * W + x] != 0) free = false;
            if (!free) continue;
            label++;
            for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) px[y * W + x] = label;
        }
        return new LabelImage(W, H, px);
    }

    @Test
    void memberScoreEqualsTheDsbMetricOfThatModelsLabelImage() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            LabelImage truth = randomRects(rnd, 12);
            LabelImage unet = randomRects(rnd, 12);
            LabelImage mrcnn = randomRects(rnd, 12);
            List<Candidate> all = new ArrayList<>(Candidates.of("unet", Segmentation.withoutScores(unet)));
            all.addAll(Candidates.of("maskrcnn", Segmentation.withoutScores(mrcnn)));
            ImageCandidates image = ImageCandidates.of("img", all, truth);
            assertEquals(DsbMetric.imageScore(OverlapTable.of(truth, unet)), SelectionScore.dsb(image, SelectionScore.member(image, "unet")), 1e-12);
            assertEquals(DsbMetric.imageScore(OverlapTable.of(truth, mrcnn)), SelectionScore.dsb(image, SelectionScore.member(image, "maskrcnn")), 1e-12);
        }
    }

    @Test
    void nmsOnStatisticsKeepsWhatNmsOnPixelsKeeps() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            List<Candidate> all = new ArrayList<>(Candidates.of("unet", Segmentation.withoutScores(randomRects(rnd, 10))));
            all.addAll(Candidates.of("maskrcnn", Segmentation.withoutScores(randomRects(rnd, 10))));
            ImageCandidates image = ImageCandidates.of("img", all, randomRects(rnd, 10));
            double[] predicted = rnd.doubles(all.size()).toArray();
            assertEquals(InstanceNms.select(all, predicted, 0.3, 0.2), SelectionScore.select(image, predicted, 0.3, 0.2));
        }
    }

    @Test
    void emptyTruthAndEmptySelectionScoresOne() {
        ImageCandidates image = ImageCandidates.of("img", List.of(), LabelImage.empty(4, 4));
        assertEquals(1.0, SelectionScore.dsb(image, List.of()));
    }
}
