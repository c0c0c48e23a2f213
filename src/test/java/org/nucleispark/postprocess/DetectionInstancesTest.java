package org.nucleispark.postprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Detections to instances: against the Python reference, and the overlap rule by hand. */
class DetectionInstancesTest {
    private static float[] ones(int n) {
        float[] m = new float[n * 28 * 28];
        Arrays.fill(m, 1f);
        return m;
    }

    @ParameterizedTest
    @EnumSource(MaskPaster.Method.class)
    void labelImageEqualsPythonInstancesFromDetections(MaskPaster.Method paste) throws IOException {
        JsonNode f = MaskPasterTest.fixture("instances.json");
        int h = f.get("height").asInt(), w = f.get("width").asInt();
        JsonNode boxes = f.get("boxes"), masks = f.get("masks");
        int n = boxes.size();
        float[] b = new float[4 * n], m = new float[n * 784];
        for (int k = 0; k < n; k++) {
            System.arraycopy(MaskPasterTest.floats(boxes.get(k)), 0, b, 4 * k, 4);
            System.arraycopy(MaskPasterTest.floats(masks.get(k)), 0, m, 784 * k, 784);
        }
        float[] scores = MaskPasterTest.floats(f.get("scores"));
        DetectionInstances.Result r = new DetectionInstances(f.get("score_threshold").asDouble(), f.get("mask_threshold").asDouble(),
                f.get("min_size").asInt(), paste).label(new Detections(b, scores, m, 28), w, h);
        int[] expected = new int[w * h];
        for (int i = 0; i < expected.length; i++) expected[i] = f.get("labels").get(paste.key()).get(i).asInt();
        assertArrayEquals(expected, r.labels().labels());
        int max = r.labels().maxLabel();
        assertTrue(max >= 4, "the fixture keeps several instances: " + max);
        for (int l = 1; l <= max; l++) assertTrue(r.scores()[l] >= 0.8, "label " + l + " score " + r.scores()[l]);
        // labels follow score order
        for (int l = 2; l <= max; l++) assertTrue(r.scores()[l] <= r.scores()[l - 1]);
    }

    @Test
    void overlapPixelsGoToTheNearestCentroid() {
        int w = 50, h = 30;
        float[] boxes = {5, 5, 25, 25, 18, 5, 38, 25};
        Detections d = new Detections(boxes, new float[] {0.95f, 0.9f}, ones(2), 28);
        int[] labels = new OverlapSplitter(0.5).split(d, new int[] {0, 1}, w, h);
        MaskPaster.Pasted a = MaskPaster.paste(d.mask(0), 28, 5, 5, 25, 25, h, w);
        MaskPaster.Pasted b = MaskPaster.paste(d.mask(1), 28, 18, 5, 38, 25, h, w);
        double[] ca = centroid(a), cb = centroid(b);
        int shared = 0, toA = 0, toB = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inA = fg(a, x, y), inB = fg(b, x, y);
                int got = labels[y * w + x];
                if (inA && inB) {
                    shared++;
                    double da = sq(x - ca[0]) + sq(y - ca[1]), db = sq(x - cb[0]) + sq(y - cb[1]);
                    assertEquals(db < da ? 2 : 1, got, "pixel " + x + "," + y);
                    if (got == 1) toA++; else toB++;
                } else {
                    assertEquals(inA ? 1 : inB ? 2 : 0, got, "pixel " + x + "," + y);
                }
            }
        }
        assertTrue(shared > 50 && toA > 0 && toB > 0, "the overlap is split: " + shared + " shared, " + toA + "/" + toB);
        // the cut lies between the centres: everything left of the midpoint column belongs to A
        for (int y = 0; y < h; y++) for (int x = 0; x <= 21; x++) assertTrue(labels[y * w + x] != 2, "pixel " + x + "," + y);
    }

    @Test
    void onATieTheHigherScoringDetectionKeepsThePixels() {
        float[] boxes = {4, 4, 20, 20, 4, 4, 20, 20};
        Detections d = new Detections(boxes, new float[] {0.97f, 0.85f}, ones(2), 28);
        DetectionInstances.Result r = new DetectionInstances(0.8, 0.5, 10).label(d, 30, 30);
        assertEquals(1, r.labels().maxLabel(), "the second, identical mask wins no pixel");
        assertEquals(0.97f, r.scores()[1], 1e-7);
    }

    @Test
    void lowScoresAndTinyObjectsAreDropped() {
        float[] boxes = {4, 4, 20, 20, 24, 4, 40, 20, 2, 25, 3, 26};
        Detections d = new Detections(boxes, new float[] {0.9f, 0.7f, 0.85f}, ones(3), 28);
        DetectionInstances.Result r = new DetectionInstances(0.8, 0.5, 10).label(d, 45, 30);
        assertEquals(1, r.labels().maxLabel());
        assertEquals(0, r.labels().get(30, 10), "score 0.7 is below the threshold");
        assertEquals(0, r.labels().get(3, 26), "a 1x1 box pastes to 3x3 = 9 px, under 10");
    }

    private static boolean fg(MaskPaster.Pasted p, int x, int y) {
        return x >= p.x0() && x < p.x1() && y >= p.y0() && y < p.y1() && p.prob()[(y - p.y0()) * p.width() + x - p.x0()] > 0.5f;
    }

    private static double[] centroid(MaskPaster.Pasted p) {
        double sx = 0, sy = 0;
        int n = 0;
        for (int y = p.y0(); y < p.y1(); y++) {
            for (int x = p.x0(); x < p.x1(); x++) {
                if (fg(p, x, y)) {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }
        return new double[] {sx / n, sy / n};
    }

    private static double sq(double v) {
        return v * v;
    }
}
