package org.nucleispark.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.Segmentation;

/** Candidates, their targets, features and the NMS selection on tiny images with known answers. */
class EnsembleSelectionTest {
    private static final int W = 20, H = 10;

    /** Label image with axis-aligned rectangles [x0,x1)x[y0,y1), labelled 1.. in order. */
    private static LabelImage rects(int[]... boxes) {
        return rects(W, H, boxes);
    }

    /** The same on a {@code width} x {@code height} image. */
    static LabelImage rects(int width, int height, int[]... boxes) {
        int[] px = new int[width * height];
        for (int i = 0; i < boxes.length; i++) {
            int[] b = boxes[i];
            for (int y = b[1]; y < b[3]; y++) for (int x = b[0]; x < b[2]; x++) px[y * width + x] = i + 1;
        }
        return new LabelImage(width, height, px);
    }

    /** A segmentation of {@code labels} scoring label k with scores[k - 1]. */
    static Segmentation scored(LabelImage labels, double... scores) {
        double[] s = new double[scores.length + 1];
        s[0] = Double.NaN;
        System.arraycopy(scores, 0, s, 1, scores.length);
        return new Segmentation(labels, s);
    }

    @Test
    void candidatesCarryPixelsShapeAndConfidence() {
        List<Candidate> c = Candidates.of("unet", scored(rects(new int[] {1, 1, 5, 4}, new int[] {10, 2, 12, 9}), 0.9, 0.4));
        assertEquals(2, c.size());
        assertEquals(12, c.get(0).area());
        assertEquals(12, c.get(0).shape().area());
        assertEquals(1, c.get(0).shape().eulerNumber());
        assertEquals(0.9, c.get(0).confidence());
        assertEquals(14, c.get(1).area());
        assertEquals(2 * W + 10, c.get(1).pixels()[0]);
    }

    @Test
    void iouTargetIsTheBestMatchingTrueNucleus() {
        LabelImage truth = rects(new int[] {0, 0, 4, 4}, new int[] {4, 0, 8, 4});
        // covers 4x4 of truth 1 and 2x4 of truth 2: IoU 16/24 with 1, 8/24 with 2
        List<Candidate> c = Candidates.of("maskrcnn", scored(rects(new int[] {0, 0, 6, 4}, new int[] {15, 5, 18, 8}), 1, 1));
        double[] iou = IouTargets.of(c, truth);
        assertEquals(16.0 / 24, iou[0], 1e-12);
        assertEquals(0.0, iou[1], "overlaps no true nucleus");
    }

    @Test
    void nmsKeepsTheBestPredictedAndSuppressesOverlapsAboveThreshold() {
        List<Candidate> all = new ArrayList<>();
        all.addAll(Candidates.of("unet", scored(rects(new int[] {0, 0, 4, 4}, new int[] {10, 0, 14, 4}), 0.9, 0.9)));
        // maskrcnn: a near copy of unet #1 (IoU 12/16 = 0.75), and a box overlapping unet #2 a little (IoU 4/28)
        all.addAll(Candidates.of("maskrcnn", scored(rects(new int[] {0, 0, 4, 3}, new int[] {13, 0, 17, 4}), 0.8, 0.8)));
        double[] predicted = {0.6, 0.7, 0.8, 0.65};
        List<Integer> kept = InstanceNms.select(all, predicted, 0.3, 0.0);
        // order: maskrcnn#1 (0.8) kept, unet#2 (0.7) kept, maskrcnn#2 (0.65, IoU 4/28 with unet#2) kept,
        // unet#1 (0.6, IoU 0.75 with maskrcnn#1) suppressed
        assertEquals(List.of(2, 1, 3), kept);
        assertEquals(List.of(2, 1), InstanceNms.select(all, predicted, 0.3, 0.7), "below the minimum predicted IoU");

        Segmentation painted = InstanceNms.paint(all, kept, predicted, W, H, 1);
        assertEquals(3, painted.labels().maxLabel());
        assertEquals(0.8, painted.predictedIou(1));
        assertEquals("maskrcnn", painted.source(1, "ensemble"));
        assertEquals("unet", painted.source(2, "ensemble"));
        assertEquals(0.8, painted.score(1), "the source model's own confidence");
        assertEquals(0.9, painted.score(2));
        // unet#2 (label 2) was painted before maskrcnn#3 (label 3): the shared column stays with it
        assertEquals(2, painted.labels().get(13, 0));
        assertEquals(3, painted.labels().get(14, 0));
        // with a minimum area of 13 px, maskrcnn#1 (12 px) and maskrcnn#2 (16 px, 4 of them already
        // unet#2's) are dropped; unet#2 is relabelled 1 and keeps its predicted IoU
        Segmentation cleaned = InstanceNms.paint(all, kept, predicted, W, H, 13);
        assertEquals(1, cleaned.labels().maxLabel());
        assertEquals(0, cleaned.labels().get(14, 0));
        assertEquals(0, cleaned.labels().get(0, 0));
        assertEquals(1, cleaned.labels().get(13, 0));
        assertEquals(0.7, cleaned.predictedIou(1));
        assertEquals("unet", cleaned.source(1, "ensemble"));
    }

    @Test
    void featuresDescribeCrowdingAndAgreement() {
        List<Candidate> all = new ArrayList<>();
        all.addAll(Candidates.of("unet", scored(rects(new int[] {0, 0, 4, 4}, new int[] {6, 0, 10, 4}), 0.9, 0.5)));
        all.addAll(Candidates.of("maskrcnn", scored(rects(new int[] {0, 0, 4, 3}), 0.7)));
        double[][] f = CandidateFeatures.of(all);
        assertEquals(CandidateFeatures.NAMES.size(), f[0].length);
        int nn = CandidateFeatures.NAMES.indexOf("nearest_neighbour_distance");
        int other = CandidateFeatures.NAMES.indexOf("other_model_best_iou");
        int neighbours = CandidateFeatures.NAMES.indexOf("neighbours_within_2_diameters");
        int isMaskRcnn = CandidateFeatures.NAMES.indexOf("is_maskrcnn");
        assertEquals(6.0, f[0][nn], 1e-12, "centroids (1.5,1.5) and (7.5,1.5)");
        assertEquals(1, f[0][neighbours], "6 px apart, diameter sqrt(64/pi) = 4.5: within 2 diameters");
        assertEquals(0.75, f[0][other], 1e-12);
        assertEquals(0.0, f[1][other]);
        assertEquals(CandidateFeatures.LONE_DISTANCE, f[2][nn], "the only maskrcnn candidate");
        assertArrayEquals(new double[] {0, 0, 1}, new double[] {f[0][isMaskRcnn], f[1][isMaskRcnn], f[2][isMaskRcnn]});
        assertEquals(0.9, f[0][CandidateFeatures.NAMES.indexOf("confidence")]);
        assertEquals(4.0, f[0][CandidateFeatures.NAMES.indexOf("bbox_width")]);
    }
}
