package org.nucleispark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageAppearance;

/** The image-type features and their words tell fluorescence from H&E-like images. */
class ImageAppearanceTest {

    private static Image image(float background, float nucleus, float[] tint) {
        int w = 20;
        int h = 20;
        float[][] planes = new float[3][w * h];
        for (int i = 0; i < w * h; i++) {
            boolean inNucleus = (i % w) >= 5 && (i % w) < 10 && (i / w) >= 5 && (i / w) < 10;
            for (int c = 0; c < 3; c++) planes[c][i] = (inNucleus ? nucleus : background) * tint[c];
        }
        return new Image(w, h, planes, 8);
    }

    @Test
    void darkGreyAndBrightColouredImagesAreDescribedApart() {
        double[] fluo = ImageAppearance.of(image(10, 200, new float[] {1, 1, 1}));
        double[] he = ImageAppearance.of(image(230, 90, new float[] {1, 0.7f, 0.9f}));
        assertEquals(ImageAppearance.SIZE, fluo.length);
        double sum = 0;
        for (int b = 0; b < ImageAppearance.BINS; b++) sum += fluo[b];
        assertEquals(1.0, sum, 1e-9, "histogram as fractions");
        assertEquals(375 / 400.0, fluo[0], 1e-9, "background (375 of 400 px) in the lowest bin");
        assertEquals(25 / 400.0, fluo[ImageAppearance.BINS - 1], 1e-9, "the nucleus in the highest");
        assertEquals((10 * 375 + 200 * 25) / 400.0 / 255, fluo[ImageAppearance.BINS], 1e-6);
        assertEquals("dark background, grey, ~6 % bright", ImageTypeLabel.describe(fluo), "the nucleus: 25 of 400 px");
        assertEquals("bright background, colour, ~6 % dark", ImageTypeLabel.describe(he));
        assertTrue(he[ImageAppearance.BINS] > he[ImageAppearance.BINS + 1]);
    }
}
