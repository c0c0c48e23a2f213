package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageRegions;
import org.nucleispark.image.ImageStatistics;
import org.nucleispark.image.PercentileNormaliser;
import org.nucleispark.image.RegionReader;
import javax.imageio.stream.FileImageInputStream;

/**
 * Whole-image statistics taken from a subsampled read (as large images get them) against the same
 * statistics of the whole image, on every real DSB sample image, read from its PNG file through
 * {@link RegionReader} with every 2nd and every 3rd pixel.
 *
 * <p>Tolerances (the measured errors are printed): the same polarity; normalisation bounds within
 * 3 % of the image's range (hi − lo), for the classical grey mean and for the models' three
 * channels (worst measured 2.9 %, the 99.8th percentile of a 256² image read with every 2nd pixel);
 * the classical Otsu threshold within 0.02 on the normalised [0, 1] scale when the sample holds at
 * least 40,000 pixels (the 1024² and 696×520 images; worst measured 0.016), within 0.11 for the
 * samples of a few thousand pixels from the 256² images (worst 0.10: the sample's threshold is
 * lower, its one-pixel blur spanning 2–3 pixels of the image). A large image's sample holds about
 * 4 million pixels (--block-sample-pixels).
 */
class SampledStatisticsTest {
    private static final double BOUNDS_TOLERANCE = 0.03;
    private static final double THRESHOLD_TOLERANCE = 0.02;
    private static final double THRESHOLD_TOLERANCE_TINY_SAMPLE = 0.11;
    private static final long TINY_SAMPLE = 40_000;

    private final ClassicalSegmenter classical = new ClassicalSegmenter(ClassicalOptions.defaults());
    private final PercentileNormaliser models = new PercentileNormaliser(1.0, 99.8);

    @Test
    void subsampledStatisticsMatchTheWholeImage() throws Exception {
        double worstBounds = 0, worstThreshold = 0;
        for (String id : SampleImages.ids()) {
            Image whole = SampleImages.image(id);
            ImageStatistics exact = classical.statistics(whole);
            PercentileNormaliser.Bounds exactRgb = models.bounds(whole, 3);
            for (int step : new int[] {2, 3}) {
                File png = SampleImages.DSB.resolve(id + "/images/" + id + ".png").toFile();
                try (FileImageInputStream in = new FileImageInputStream(png); RegionReader reader = RegionReader.open(in)) {
                    long budget = (long) ((whole.width() + step - 1) / step) * ((whole.height() + step - 1) / step);
                    ImageRegions.Sample sample = reader.page(0).sample(budget);
                    assertEquals(step, sample.step());
                    ImageStatistics sampled = classical.statistics(sample.image());
                    String what = id.substring(0, 8) + " (" + whole.width() + "x" + whole.height() + ", every " + step + ")";
                    assertEquals(exact.darkObjectsOnBright(), sampled.darkObjectsOnBright(), "polarity of " + what);
                    worstBounds = Math.max(worstBounds, boundsError(exact.bounds(), sampled.bounds()));
                    worstBounds = Math.max(worstBounds, boundsError(exactRgb, models.bounds(sample.image(), 3)));
                    double dt = Math.abs(exact.foregroundThreshold() - sampled.foregroundThreshold());
                    System.out.printf("sampled statistics of %s: bounds error %.4f (grey) %.4f (RGB) of the range,"
                                    + " threshold %.3f vs %.3f%n", what, boundsError(exact.bounds(), sampled.bounds()),
                            boundsError(exactRgb, models.bounds(sample.image(), 3)), exact.foregroundThreshold(), sampled.foregroundThreshold());
                    worstThreshold = Math.max(worstThreshold, dt);
                    assertTrue(boundsError(exact.bounds(), sampled.bounds()) <= BOUNDS_TOLERANCE, "grey bounds of " + what
                            + ": " + exact.bounds() + " vs " + sampled.bounds());
                    assertTrue(boundsError(exactRgb, models.bounds(sample.image(), 3)) <= BOUNDS_TOLERANCE, "RGB bounds of " + what);
                    long samplePixels = (long) sample.image().width() * sample.image().height();
                    assertTrue(dt <= (samplePixels >= TINY_SAMPLE ? THRESHOLD_TOLERANCE : THRESHOLD_TOLERANCE_TINY_SAMPLE), "Otsu threshold of " + what + ": " + exact.foregroundThreshold()
                            + " vs " + sampled.foregroundThreshold());
                }
            }
        }
        System.out.printf("sampled statistics: worst bounds error %.4f of the range, worst threshold error %.4f%n",
                worstBounds, worstThreshold);
    }

    private static double boundsError(PercentileNormaliser.Bounds exact, PercentileNormaliser.Bounds sampled) {
        double range = Math.max(exact.high() - exact.low(), 1e-6);
        return Math.max(Math.abs(exact.low() - sampled.low()), Math.abs(exact.high() - sampled.high())) / range;
    }
}
