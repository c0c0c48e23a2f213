package org.nucleispark.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.Image;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.Segmentation;

/** Intensity features on a 12×12 plane whose values are set by hand around each candidate. */
class IntensityFeaturesTest {
    private static final int W = 12, H = 12;

    private static Candidate square(int x0, int y0, int x1, int y1) {
        int[] labels = new int[W * H];
        for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) labels[y * W + x] = 1;
        return Candidates.of("unet", Segmentation.withoutScores(new LabelImage(W, H, labels))).get(0);
    }

    @Test
    void meanSpreadAndContrastToTheTwoPixelRing() {
        float[] plane = new float[W * H];
        Arrays.fill(plane, 0.5f);
        // candidate: 3x3 at x,y 4..6; ring: Chebyshev distance 1..2 from it (x,y 2..8 minus the square)
        for (int y = 2; y <= 8; y++) for (int x = 2; x <= 8; x++) plane[y * W + x] = 0.1f;
        for (int y = 4; y <= 6; y++) for (int x = 4; x <= 6; x++) plane[y * W + x] = 0.9f;
        double[] f = IntensityFeatures.of(List.of(square(4, 4, 7, 7)), plane, W, H)[0];
        assertEquals(0.9, f[0], 1e-6);
        assertEquals(0.0, f[1], 1e-6);
        assertEquals(0.8, f[2], 1e-6, "0.9 inside against 0.1 in the ring; the 0.5 beyond it is not ring");
    }

    @Test
    void spreadOfAHalfDarkCandidateAndARingClippedByTheImageBorder() {
        float[] plane = new float[W * H];
        Arrays.fill(plane, 0.3f);
        // 2x2 candidate in the top-left corner: values 0 and 1 in its two columns
        plane[0] = plane[W] = 0f;
        plane[1] = plane[W + 1] = 1f;
        double[] f = IntensityFeatures.of(List.of(square(0, 0, 2, 2)), plane, W, H)[0];
        assertEquals(0.5, f[0], 1e-6);
        assertEquals(0.5, f[1], 1e-6);
        assertEquals(0.2, f[2], 1e-6, "ring is only the 12 pixels inside the image, all 0.3");
    }

    @Test
    void thePlaneIsPercentileScaledGreySoBitDepthDoesNotMatter() {
        float[] eight = new float[W * H];
        float[] sixteen = new float[W * H];
        for (int i = 0; i < eight.length; i++) {
            eight[i] = i % 7 * 30;
            sixteen[i] = eight[i] * 257;
        }
        float[] a = IntensityFeatures.plane(new Image(W, H, new float[][] {eight}, 8));
        float[] b = IntensityFeatures.plane(new Image(W, H, new float[][] {sixteen, sixteen, sixteen}, 16));
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-6);
        assertEquals(0f, a[0]);
        assertEquals(1f, a[6]);
    }

    @Test
    void featureVectorsGetTheIntensityColumnsOnlyWhenAPlaneIsGiven() {
        List<Candidate> c = List.of(square(4, 4, 7, 7));
        float[] plane = new float[W * H];
        assertEquals(CandidateFeatures.NAMES.size(), CandidateFeatures.of(c, null, W, H)[0].length);
        assertEquals(CandidateFeatures.names(true).size(), CandidateFeatures.of(c, plane, W, H)[0].length);
        assertEquals(IntensityFeatures.NAMES, CandidateFeatures.names(true).subList(CandidateFeatures.NAMES.size(),
                CandidateFeatures.names(true).size()));
    }
}
