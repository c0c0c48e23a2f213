package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.Raster;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.Image;
import org.nucleispark.image.SyntheticDiscs;

/** Where a large image's nucleus size is measured, and how its windows are pooled into one plane. */
class NucleusSizeWindowsTest {

    /**
     * A 5000×3000 slide whose cells lie only in its lower right 2600×2200 px, the rest flat background: the four
     * windows are read there (the background's specks would read as tiny nuclei), every one whole and inside.
     */
    @Test
    void windowsAreReadWhereTheImageHasSomethingInIt() throws Exception {
        int w = 5000, h = 3000, cw = 2600, ch = 2200;
        SyntheticDiscs discs = new SyntheticDiscs(cw, ch, 48, 12, 0);
        Raster r = discs.getData();
        float[] cells = r.getSamples(0, 0, cw, ch, 0, (float[]) null);
        float[] plane = new float[w * h];
        java.util.Arrays.fill(plane, 20f);
        for (int y = 0; y < ch; y++) System.arraycopy(cells, y * cw, plane, (h - ch + y) * w + (w - cw), cw);
        Image image = new Image(w, h, new float[][] {plane}, 8);
        var sample = new InMemoryRegions(image).sample(1 << 20);
        assertTrue(sample.step() > 1, "the choice is made on a subsampled read");

        List<NucleusSizeWindows.Window> windows = NucleusSizeWindows.choose(sample.image(), sample.step(), w, h);
        assertEquals(NucleusSizeWindows.COUNT, windows.size());
        for (NucleusSizeWindows.Window win : windows) {
            assertEquals(NucleusSizeWindows.SIDE, win.width());
            assertEquals(NucleusSizeWindows.SIDE, win.height());
            assertTrue(win.x() >= 0 && win.y() >= 0 && win.x() + win.width() <= w && win.y() + win.height() <= h, win.toString());
            // each overlaps the cells' region by at least half of its area
            int ox = Math.max(0, Math.min(win.x() + win.width(), w) - Math.max(win.x(), w - cw));
            int oy = Math.max(0, Math.min(win.y() + win.height(), h) - Math.max(win.y(), h - ch));
            assertTrue((long) ox * oy * 2 >= (long) win.width() * win.height(), win + " lies in the cells' region");
        }
    }

    @Test
    void anImageSmallerThanAWindowIsOneWindowOfItsShortSide() {
        Image image = new Image(700, 300, new float[][] {new float[700 * 300]}, 8);
        List<NucleusSizeWindows.Window> windows = NucleusSizeWindows.choose(image, 1, 700, 300);
        assertEquals(3, windows.size(), "cells at x = 0, 300 and 400 (the last shifted in)");
        for (NucleusSizeWindows.Window win : windows) {
            assertEquals(300, win.width());
            assertTrue(win.x() + 300 <= 700);
        }
    }

    @Test
    void theMosaicKeepsWindowsApartByARowOfTheirSmallestValue() {
        float[] a = {0.5f, 0.6f, 0.7f, 0.8f}; // 2×2
        float[] b = {0.2f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f}; // 3×2
        WindowMosaic m = WindowMosaic.of(List.of(a, b), new int[] {2, 3}, new int[] {2, 2});
        assertEquals(3, m.width());
        assertEquals(5, m.height());
        assertArrayEquals(new float[] {
            0.5f, 0.6f, 0.2f,
            0.7f, 0.8f, 0.2f,
            0.2f, 0.2f, 0.2f,
            0.2f, 0.9f, 0.9f,
            0.9f, 0.9f, 0.9f}, m.plane());
        assertSame(a, WindowMosaic.of(List.of(a), new int[] {2}, new int[] {2}).plane(), "one window is its own mosaic");
    }

    /** Two windows of discs 24 px across pooled give the diameter either gives alone. */
    @Test
    void pooledWindowsGiveTheDiameterOfTheirNuclei() {
        float[] one = discPlane(512), two = discPlane(384);
        double single = NucleusDiameter.estimate(one, 512, 512);
        WindowMosaic m = WindowMosaic.of(List.of(one, two), new int[] {512, 384}, new int[] {512, 384});
        double pooled = NucleusDiameter.estimate(m.plane(), m.width(), m.height());
        assertEquals(single, pooled, 0.05 * single);
        assertTrue(single > 18 && single < 26, "about the discs' 24 px: " + single);
    }

    private static float[] discPlane(int side) {
        Raster r = new SyntheticDiscs(side, side, 40, 12, 0).getData();
        float[] p = r.getSamples(0, 0, side, side, 0, (float[]) null);
        for (int i = 0; i < p.length; i++) p[i] /= 255f;
        return p;
    }
}
