package org.nucleispark.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OverlayRendererTest {
    private static final int W = 20;
    private static final int H = 20;

    private static void rect(int[] labels, int x0, int y0, int w, int h, int label) {
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) labels[y * W + x] = label;
        }
    }

    private static int[] colourAt(byte[] rgb, int x, int y) {
        int i = 3 * (y * W + x);
        return new int[] {rgb[i] & 0xFF, rgb[i + 1] & 0xFF, rgb[i + 2] & 0xFF};
    }

    @Test
    void truePositivesFalsePositivesAndMissedNucleiGetTheirColours() {
        int[] truth = new int[W * H];
        rect(truth, 1, 1, 6, 6, 1);     // found by prediction 1
        rect(truth, 12, 1, 6, 6, 2);    // missed
        int[] pred = new int[W * H];
        rect(pred, 1, 1, 6, 6, 1);      // matches true 1
        rect(pred, 2, 12, 5, 5, 2);     // invented
        byte[] grey = new byte[3 * W * H];
        java.util.Arrays.fill(grey, (byte) 40);
        byte[] out = OverlayRenderer.render(grey, W, H, truth, Set.of(1)::contains, pred, Set.of(1)::contains);

        assertArrayEquals(OverlayRenderer.TP, colourAt(out, 1, 1));   // corner of the match
        assertArrayEquals(OverlayRenderer.TP, colourAt(out, 6, 3));   // its right edge
        assertArrayEquals(OverlayRenderer.FN, colourAt(out, 12, 3));  // left edge of the missed nucleus
        assertArrayEquals(OverlayRenderer.FN, colourAt(out, 15, 6));  // its bottom edge
        assertArrayEquals(OverlayRenderer.FP, colourAt(out, 2, 12));  // the invented one
        assertArrayEquals(OverlayRenderer.FP, colourAt(out, 4, 16));
        // interiors and background keep the image
        assertArrayEquals(new int[] {40, 40, 40}, colourAt(out, 3, 3));
        assertArrayEquals(new int[] {40, 40, 40}, colourAt(out, 14, 3));
        assertArrayEquals(new int[] {40, 40, 40}, colourAt(out, 4, 14));
        assertArrayEquals(new int[] {40, 40, 40}, colourAt(out, 10, 10));
        // contours are one pixel thick: 6x6 square = 20 pixels, 5x5 = 16; twice 20 + 16 coloured in all
        int coloured = 0;
        for (int i = 0; i < W * H; i++) if (out[3 * i] != 40 || out[3 * i + 1] != 40) coloured++;
        assertEquals(20 + 20 + 16, coloured);
        assertEquals(40, grey[3 * (W + 1)], "input left as it was");
    }

    @Test
    void nucleusAtTheImageBorderIsClosed() {
        int[] truth = new int[W * H];
        rect(truth, 0, 0, 3, 3, 1);
        byte[] out = OverlayRenderer.render(new byte[3 * W * H], W, H, truth, l -> false, new int[W * H], l -> false);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                int[] expected = x == 1 && y == 1 ? new int[] {0, 0, 0} : OverlayRenderer.FN; // (1, 1) is inside
                assertArrayEquals(expected, colourAt(out, x, y), x + "," + y);
            }
        }
    }

    @Test
    void thickContoursForLargeImagesStayInsideTheInstance() {
        assertEquals(1, OverlayRenderer.thicknessFor(256, 320));
        assertEquals(3, OverlayRenderer.thicknessFor(1000, 1000));
        int[] pred = new int[W * H];
        rect(pred, 4, 4, 10, 10, 1);
        byte[] out = OverlayRenderer.render(new byte[3 * W * H], W, H, new int[W * H], l -> true, pred, l -> false, 2);
        assertArrayEquals(OverlayRenderer.FP, colourAt(out, 4, 8));
        assertArrayEquals(OverlayRenderer.FP, colourAt(out, 5, 8));
        assertArrayEquals(new int[] {0, 0, 0}, colourAt(out, 6, 8), "third pixel in is inside");
        assertArrayEquals(new int[] {0, 0, 0}, colourAt(out, 3, 8), "outside is untouched");
    }
}
