package org.nucleispark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.TestImages;

class GroundTruthMasksTest {

    /** A binary 8-bit mask PNG (0 / 255, as in DSB) that is on inside [x0, x1) x [y0, y1). */
    private static GroundTruthMasks.Mask box(String name, int w, int h, int x0, int y0, int x1, int y1) {
        byte[] png = TestImages.png(TestImages.image(BufferedImage.TYPE_BYTE_GRAY, w, h,
                (x, y, b) -> x >= x0 && x < x1 && y >= y0 && y < y1 ? 255 : 0));
        return new GroundTruthMasks.Mask(name, png);
    }

    @Test
    void labelsFollowTheGivenOrder() {
        GroundTruthMasks.Result r = GroundTruthMasks.build(10, 8, List.of(
                box("a.png", 10, 8, 0, 0, 2, 2),
                box("b.png", 10, 8, 5, 5, 7, 8),
                box("c.png", 10, 8, 8, 0, 10, 1)));
        assertTrue(r.isOk(), () -> r.error());
        LabelImage labels = r.labels();
        assertEquals(1, labels.get(1, 1));
        assertEquals(2, labels.get(6, 7));
        assertEquals(3, labels.get(9, 0));
        assertEquals(0, labels.get(4, 4));
        assertEquals(0, r.overlapPixels());
        int[] area = new int[4];
        for (int l : labels.labels()) area[l]++;
        assertEquals(List.of(80 - 4 - 6 - 2, 4, 6, 2), Arrays.stream(area).boxed().toList());
    }

    @Test
    void overlapKeepsTheFirstLabelAndIsCounted() {
        GroundTruthMasks.Result r = GroundTruthMasks.build(10, 10, List.of(
                box("first.png", 10, 10, 0, 0, 5, 5),
                box("second.png", 10, 10, 3, 3, 8, 8),   // overlaps first in [3,5) x [3,5): 4 pixels
                box("third.png", 10, 10, 4, 4, 6, 6)));  // (4,4) is in all three, counted once
        assertTrue(r.isOk());
        assertEquals(1, r.labels().get(4, 4));
        assertEquals(1, r.labels().get(3, 3));
        assertEquals(2, r.labels().get(5, 5));
        assertEquals(2, r.labels().get(7, 7));
        // Overlapping pixels: [3,5)^2 (4 px, first/second) plus third's (5,4), (4,5), (5,5) inside second.
        assertEquals(7, r.overlapPixels());
    }

    @Test
    void maskOfAnotherSizeIsNamed() {
        GroundTruthMasks.Result r = GroundTruthMasks.build(10, 8, List.of(
                box("ok.png", 10, 8, 0, 0, 2, 2),
                box("masks/odd.png", 8, 10, 0, 0, 2, 2)));
        assertFalse(r.isOk());
        assertEquals("mask masks/odd.png is 8x10 but the image is 10x8", r.error());
    }

    @Test
    void undecodableMaskIsNamed() {
        byte[] png = box("x", 10, 8, 0, 0, 2, 2).bytes();
        GroundTruthMasks.Result r = GroundTruthMasks.build(10, 8, List.of(
                new GroundTruthMasks.Mask("broken.png", Arrays.copyOf(png, png.length / 2))));
        assertFalse(r.isOk());
        assertTrue(r.error().startsWith("mask broken.png: PNG is truncated or corrupt: "), r.error());
    }

    @Test
    void noMasksGiveAnEmptyLabelImage() {
        GroundTruthMasks.Result r = GroundTruthMasks.build(4, 3, List.of());
        assertEquals(0, r.labels().maxLabel());
        assertEquals(12, r.labels().labels().length);
    }

    @Test
    void dsbSampleHasTwentyTwoNucleiWithoutOverlap() throws IOException {
        Image image = new ImageDecoder().decode("dsb", TestImages.read(TestImages.DSB_IMAGE)).frames().get(0).image();
        List<Path> files;
        try (Stream<Path> s = Files.list(TestImages.DSB_MASKS)) {
            files = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        List<GroundTruthMasks.Mask> masks = new ArrayList<>();
        for (Path p : files) masks.add(new GroundTruthMasks.Mask(p.getFileName().toString(), TestImages.read(p)));

        GroundTruthMasks.Result r = GroundTruthMasks.build(image.width(), image.height(), masks);
        assertTrue(r.isOk(), () -> r.error());
        assertEquals(22, masks.size());
        assertEquals(0, r.overlapPixels());
        LabelImage labels = r.labels();
        assertEquals(22, labels.maxLabel());

        // Each mask's pixels carry its label, and no other pixel does.
        ImageDecoder decoder = new ImageDecoder();
        int[] expected = new int[labels.labels().length];
        for (int m = 0; m < masks.size(); m++) {
            float[] mask = decoder.decode("m", masks.get(m).bytes()).frames().get(0).image().plane(0);
            int pixels = 0;
            for (int p = 0; p < mask.length; p++) {
                if (mask[p] != 0) {
                    expected[p] = m + 1;
                    pixels++;
                }
            }
            assertTrue(pixels > 0, "mask " + masks.get(m).name() + " is empty");
        }
        assertEquals(Arrays.stream(expected).boxed().toList(), Arrays.stream(labels.labels()).boxed().toList());
    }
}
