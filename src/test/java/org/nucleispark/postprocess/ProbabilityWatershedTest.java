package org.nucleispark.postprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    @Test
    void aMarkerMarginSplitsAPairTheBorderThresholdMerges() {
        // two discs touching across a weak border (0.4): below the border threshold, so the thesis' markers join
        // across it; nucleus − border there (0.45) is not above a margin of 0.5, so the margin's markers do not
        float[][] p = maps(new double[][] {{15, 15}, {29, 15}, {48, 15}}, 8);
        float[] nucleus = p[0], border = p[1];
        for (int i = 0; i < W * H; i++) {
            if (border[i] > 0.5f) {
                border[i] = 0.4f;
                if (nucleus[i] > 0.5f) nucleus[i] = 0.85f;
            }
        }
        assertEquals(2, new ProbabilityWatershed(0.5, 0.5, 10).separate(nucleus, border, W, H).labels().maxLabel());
        LabelImage l = new ProbabilityWatershed(0.5, 0.5, 0.5, 0, 10).separate(nucleus, border, W, H).labels();
        assertEquals(3, l.maxLabel());
        assertNotEquals(l.get(15, 15), l.get(29, 15));
        int fg = 0, labelled = 0;
        for (int i = 0; i < W * H; i++) {
            if (nucleus[i] > 0.5f) fg++;
            if (l.labels()[i] > 0) labelled++;
        }
        assertEquals(fg, labelled, "the border pixels are regrown, none lost");
        // the dividing line lies on the border ridge, between the two centres
        assertTrue(l.get(20, 15) == l.get(15, 15) && l.get(24, 15) == l.get(29, 15));
    }

    @Test
    void theFloodFollowsTheBorderRidgeNotTheNucleusDip() {
        // one blob, the same two markers under both rules (x 4..11 and 28..35); between them border 0.6 (no seeds)
        // with its ridge at x = 24, and the nucleus probability dipping at x = 16. The thesis' flood on −nucleus
        // divides at the dip, the margin's flood on −(nucleus − border) at the ridge
        int w = 40, h = 9;
        float[] nucleus = new float[w * h], border = new float[w * h];
        for (int y = 1; y < 8; y++) for (int x = 4; x < 36; x++) {
            int i = y * w + x;
            boolean gap = x >= 12 && x < 28;
            nucleus[i] = x == 16 ? 0.6f : 0.9f;
            border[i] = !gap ? 0.05f : x == 24 ? 0.95f : 0.6f;
        }
        LabelImage thesis = new ProbabilityWatershed(0.5, 0.5, 1).separate(nucleus, border, w, h).labels();
        LabelImage margin = new ProbabilityWatershed(0.5, 0.5, 0.5, 0, 1).separate(nucleus, border, w, h).labels();
        assertEquals(2, thesis.maxLabel());
        assertEquals(2, margin.maxLabel());
        assertEquals(thesis.get(30, 4), thesis.get(20, 4), "thesis: x = 20 lies beyond the dip, with the right marker");
        assertEquals(margin.get(8, 4), margin.get(20, 4), "margin: x = 20 lies before the ridge, with the left marker");
        assertEquals(margin.get(30, 4), margin.get(25, 4));
    }

    @Test
    void smoothingTheDifferenceKeepsOneNucleusRipplesFromSeedingMarkers() {
        // one disc whose border probability ripples in stripes across it (0.05 / 0.55): nucleus − border 0.9 / 0.4
        // alternates across the margin, so unblurred every stripe seeds its own marker; blurred by sigma 2 the
        // stripes average to about 0.65 and the disc is one instance. The foreground (nucleus > 0.5) is not blurred.
        float[] nucleus = new float[W * H], border = new float[W * H];
        int fg = 0;
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) {
            boolean inside = Math.hypot(x - 30, y - 15) < 11;
            nucleus[y * W + x] = inside ? 0.95f : 0.02f;
            border[y * W + x] = inside && x % 4 == 0 ? 0.55f : 0.05f;
            if (inside) fg++;
        }
        assertTrue(new ProbabilityWatershed(0.5, 1.0, 0.5, 0, 10).separate(nucleus, border, W, H).labels().maxLabel() > 2);
        ProbabilityWatershed smoothed = new ProbabilityWatershed(0.5, 1.0, 0.5, 2, 10);
        LabelImage l = smoothed.separate(nucleus, border, W, H).labels();
        assertEquals(1, l.maxLabel());
        // the sigma is in the network's pixels: maps of an image enlarged 10x for the network, resized back, are
        // blurred by 0.2 of their own pixels, too little to join these stripes
        assertTrue(smoothed.separate(nucleus, border, W, H, 10.0).labels().maxLabel() > 2);
        assertEquals(1, smoothed.separate(nucleus, border, W, H, 0.5).labels().maxLabel());
        int labelled = 0;
        for (int v : l.labels()) if (v > 0) labelled++;
        assertEquals(fg, labelled);
    }

    @Test
    void aNegativeSigmaIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ProbabilityWatershed(0.5, 0.5, 0.5, -1, 10));
    }
}
