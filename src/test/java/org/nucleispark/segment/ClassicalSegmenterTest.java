package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.Image;
import org.nucleispark.image.LabelImage;

class ClassicalSegmenterTest {
    private final ClassicalSegmenter segmenter = new ClassicalSegmenter(ClassicalOptions.defaults());

    /** Bright discs on a dark noisy background, or the inverse (H&E-like) when {@code dark}. */
    private static Image discs(int w, int h, double[][] centres, double r, boolean dark, int bitDepth) {
        float[] p = new float[w * h];
        Random rnd = new Random(1);
        float max = bitDepth == 16 ? 4000 : 200;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean in = false;
                for (double[] c : centres) in |= (x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]) < r * r;
                float v = (in ? max : max * 0.1f) + (float) rnd.nextGaussian() * max * 0.03f;
                p[y * w + x] = dark ? max * 1.1f - v : v;
            }
        }
        return new Image(w, h, new float[][] {p}, bitDepth);
    }

    @Test
    void countsSeparatedDiscs() {
        double[][] c = {{15, 15}, {45, 15}, {15, 45}, {45, 45}, {30, 30}};
        LabelImage out = segmenter.segment(discs(60, 60, c, 6, false, 8)).labels();
        assertEquals(5, out.maxLabel());
        for (double[] cc : c) assertTrue(out.get((int) cc[0], (int) cc[1]) > 0);
    }

    @Test
    void splitsTwoTouchingDiscsAndKeepsALoneDiscWhole() {
        double[][] c = {{20, 30}, {33, 30}, {70, 30}};
        LabelImage out = segmenter.segment(discs(100, 60, c, 8, false, 16)).labels();
        assertEquals(3, out.maxLabel());
        assertTrue(out.get(20, 30) != out.get(33, 30), "touching discs separated");
        int lone = out.get(70, 30);
        int area = 0;
        for (int v : out.labels()) if (v == lone) area++;
        assertTrue(area > 150 && area < 250, "lone disc whole, area " + area);
    }

    @Test
    void findsDarkNucleiOnBrightBackground() {
        double[][] c = {{15, 15}, {45, 40}};
        LabelImage out = segmenter.segment(discs(60, 60, c, 7, true, 8)).labels();
        assertEquals(2, out.maxLabel());
        assertEquals(0, out.get(2, 2), "bright background is background");
    }

    @Test
    void emptyFieldGivesFewOrNoObjects() {
        float[] p = new float[50 * 50];
        java.util.Arrays.fill(p, 100);
        LabelImage out = segmenter.segment(new Image(50, 50, new float[][] {p}, 8)).labels();
        assertEquals(0, out.maxLabel());
    }

    @Test
    void versionChangesWithOptions() {
        var other = new ClassicalSegmenter(new ClassicalOptions(1.0, 7, 2.0, 10));
        assertTrue(!segmenter.version().equals(other.version()));
        assertEquals(12, segmenter.version().length());
    }
}
