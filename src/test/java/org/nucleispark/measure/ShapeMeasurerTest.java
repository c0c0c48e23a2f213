package org.nucleispark.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.LabelImage;
import org.nucleispark.io.Rle;
import org.nucleispark.image.Segmentation;

/**
 * Expected values were computed with scikit-image 0.19 regionprops on the same masks (the shapes
 * are drawn here with skimage.draw's rules; the rotated ellipse is its RLE), so a change in any
 * definition shows up as a mismatch with the tool biologists compare against.
 */
class ShapeMeasurerTest {
    private static final double EPS = 1e-9;

    private static InstanceFeatures only(boolean[] mask, int w, int h) {
        int[] labels = new int[w * h];
        for (int i = 0; i < mask.length; i++) labels[i] = mask[i] ? 1 : 0;
        List<InstanceFeatures> f = ShapeMeasurer.measure(Segmentation.withoutScores(new LabelImage(w, h, labels)));
        assertEquals(1, f.size());
        return f.get(0);
    }

    /** skimage.draw.disk: pixels strictly inside the circle. */
    private static boolean[] disc(int w, int h, double cy, double cx, double r) {
        boolean[] m = new boolean[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) m[y * w + x] = (y - cy) * (y - cy) + (x - cx) * (x - cx) < r * r;
        return m;
    }

    @Test
    void square() {
        boolean[] m = new boolean[20 * 20];
        for (int y = 3; y < 13; y++) for (int x = 5; x < 15; x++) m[y * 20 + x] = true;
        InstanceFeatures f = only(m, 20, 20);
        assertEquals(100, f.area());
        assertEquals(36.0, f.perimeter(), EPS);
        assertEquals(100, f.convexArea());
        assertEquals(11.489125293076057, f.majorAxisLength(), EPS);
        assertEquals(11.489125293076057, f.minorAxisLength(), EPS);
        assertEquals(0.0, f.eccentricity(), EPS);
        assertEquals(Math.PI / 4, f.orientation(), EPS);
        assertEquals(1.0, f.extent(), EPS);
        assertEquals(1, f.eulerNumber());
        assertEquals(5, f.x0());
        assertEquals(3, f.y0());
        assertEquals(15, f.x1());
        assertEquals(13, f.y1());
        assertEquals(9.5, f.centroidX(), EPS);
        assertEquals(7.5, f.centroidY(), EPS);
    }

    @Test
    void disc() {
        InstanceFeatures f = only(disc(24, 24, 11, 12, 8), 24, 24);
        assertEquals(193, f.area());
        assertEquals(48.970562748477136, f.perimeter(), EPS);
        assertEquals(201, f.convexArea());
        assertEquals(0.9601990049751243, f.solidity(), EPS);
        assertEquals(0.8577777777777778, f.extent(), EPS);
        assertEquals(15.675465136763439, f.majorAxisLength(), EPS);
        assertEquals(Math.sqrt(4 * 193 / Math.PI), f.equivalentDiameter(), EPS);
    }

    @Test
    void rotatedEllipse() {
        boolean[] m = Rle.decode("260 4 288 7 317 8 346 9 375 10 404 11 433 12 463 12 492 13 521 13 551 13 580 14 610 13 "
                + "639 14 669 13 699 13 728 13 758 12 788 12 818 11 848 10 878 9 908 8 938 7 969 4", 40, 30);
        InstanceFeatures f = only(m, 40, 30);
        assertEquals(265, f.area());
        assertEquals(65.94112549695427, f.perimeter(), EPS);
        assertEquals(275, f.convexArea());
        assertEquals(28.24990711259002, f.majorAxisLength(), 1e-9);
        assertEquals(11.927268306788076, f.minorAxisLength(), 1e-9);
        assertEquals(0.906500111154793, f.eccentricity(), 1e-9);
        assertEquals(-1.0477918556822314, f.orientation(), 1e-9);
    }

    @Test
    void ringKeepsItsHoleOutOfTheAreaButInsideTheHull() {
        boolean[] outer = disc(24, 24, 12, 12, 9);
        boolean[] inner = disc(24, 24, 12, 12, 4);
        boolean[] m = new boolean[outer.length];
        for (int i = 0; i < m.length; i++) m[i] = outer[i] && !inner[i];
        InstanceFeatures f = only(m, 24, 24);
        assertEquals(204, f.area());
        assertEquals(81.94112549695429, f.perimeter(), EPS);
        assertEquals(249, f.convexArea());
        assertEquals(0.8192771084337349, f.solidity(), EPS);
        assertEquals(0, f.eulerNumber(), "one object, one hole");
    }

    @Test
    void thinLShape() {
        boolean[] m = new boolean[24 * 24];
        for (int x = 5; x < 15; x++) m[5 * 24 + x] = true;
        for (int y = 5; y < 15; y++) m[y * 24 + 5] = true;
        InstanceFeatures f = only(m, 24, 24);
        assertEquals(19, f.area());
        assertEquals(17.0, f.perimeter(), EPS);
        assertEquals(55, f.convexArea());
        assertEquals(0.8648250907976306, f.eccentricity(), 1e-9);
        assertEquals(-0.7853981633974481, f.orientation(), 1e-9);
    }
}
