package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.Modality;
import org.nucleispark.io.GroundTruthMasks;
import org.nucleispark.metrics.DsbMetric;
import org.nucleispark.metrics.OverlapTable;
import org.nucleispark.model.ModelFiles;

/**
 * The canonical-input U-Net (models/unet, the default) through DJL, on an S-BSST265 cytospin whose nuclei are
 * several times the DSB size (normal_3: held out of that model's training, CC0): rescaling to the model's
 * nucleus scale is what makes it segment them, and forcing the modality the image has changes nothing.
 */
class CanonicalUNetTest {
    private static final Path SAMPLE = Path.of("src/test/resources/s-bsst265/normal_3");

    private static double score(UNetOptions options, Image image, LabelImage truth) {
        ModelFiles files = ModelFiles.resolve("models", "unet", new Configuration());
        try (UNetSegmenter unet = new UNetSegmenter(files, options)) {
            return DsbMetric.imageScore(OverlapTable.of(truth, unet.segment(image).labels()));
        }
    }

    @Test
    void rescalingToTheModelsNucleusSizeSegmentsLargeNuclei() throws Exception {
        byte[] bytes = Files.readAllBytes(SAMPLE.resolve("images/normal_3.png"));
        Image image = new ImageDecoder().decode("normal_3", bytes).frames().get(0).image();
        List<GroundTruthMasks.Mask> masks = new ArrayList<>();
        try (var s = Files.list(SAMPLE.resolve("masks"))) {
            for (Path p : s.sorted().toList()) masks.add(new GroundTruthMasks.Mask(p.toString(), Files.readAllBytes(p)));
        }
        LabelImage truth = GroundTruthMasks.build(image.width(), image.height(), masks).labels();

        ModelFiles files = ModelFiles.resolve("models", "unet", new Configuration());
        assertNotNull(files.metadata().canonical());
        assertTrue(files.metadata().nucleusDiameter() > 5 && files.metadata().nucleusDiameter() < 40);

        double auto = score(new UNetOptions(false, Double.NaN, Double.NaN, 4, null, Double.NaN), image, truth);
        double off = score(new UNetOptions(false, Double.NaN, Double.NaN, 4, null, 0), image, truth);
        double forced = score(new UNetOptions(false, Double.NaN, Double.NaN, 4, Modality.FLUORESCENCE, Double.NaN), image, truth);
        System.out.printf("normal_3: auto %.4f, off %.4f, forced fluorescence %.4f%n", auto, off, forced);
        assertTrue(auto > off + 0.1, "auto " + auto + " vs off " + off);
        assertEquals(auto, forced, 1e-12);
    }
}
