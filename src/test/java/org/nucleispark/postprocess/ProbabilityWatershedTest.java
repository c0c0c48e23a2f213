package org.nucleispark.postprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nucleispark.image.LabelImage;

class ProbabilityWatershedTest {
    private static final int W = 60, H = 30;

    /** Probability maps as a U-Net would give them for discs; border high where two discs touch. */
    private static float[][] maps(double[][] discs, double r) {
        float[] nucleus = new float[W * H];
        float[] border = new float[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int inside = 0;
                for (double[] d : discs) if (Math.hypot(x - d[0], y - d[1]) < r) inside++;
                int near = 0;
                for (double[] d : discs) if (Math.hypot(x - d[0], y - d[1]) < r + 2) near++;
                nucleus[y * W + x] = inside > 0 ? 0.95f : 0.02f;
                border[y * W + x] = near >= 2 ? 0.9f : 0.05f;
            }
        }
        return new float[][] {nucleus, border};
    }

    @Test
    void touchingDiscsBecomeTwoInstancesAndALoneDiscStaysWhole() {
        double[][] discs = {{15, 15}, {29, 15}, {48, 15}};
        float[][] p = maps(discs, 8);
        ProbabilityWatershed.Result r = new ProbabilityWatershed(0.5, 0.5, 10).separate(p[0], p[1], W, H);
        LabelImage l = r.labels();
        assertEquals(3, l.maxLabel());
        assertNotEquals(l.get(15, 15), l.get(29, 15));
        int lone = l.get(48, 15);
        int area = 0, fg = 0;
        for (int i = 0; i < W * H; i++) {
            if (l.labels()[i] == lone) area++;
            if (p[0][i] > 0.5f && Math.hypot(i % W - 48, i / W - 15) < 9) fg++;
        }
        assertEquals(fg, area, "lone disc keeps every foreground pixel");
        assertEquals(0.95, r.scores()[lone], 1e-6);
        // the touching pair together still covers its whole foreground: border pixels were regrown
        assertTrue(l.get(22, 15) > 0);
    }

    @Test
    void aBlobWithoutMarkerIsKept() {
        float[] nucleus = new float[W * H];
        float[] border = new float[W * H];
        for (int y = 10; y < 16; y++) for (int x = 10; x < 16; x++) {
            nucleus[y * W + x] = 0.9f;
            border[y * W + x] = 0.8f; // entirely "border": no marker survives
        }
        LabelImage l = new ProbabilityWatershed(0.5, 0.5, 10).separate(nucleus, border, W, H).labels();
        assertEquals(1, l.maxLabel());
    }
}
