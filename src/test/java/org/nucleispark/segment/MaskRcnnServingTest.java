package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.Image;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.Modality;
import org.nucleispark.metrics.DsbMetric;
import org.nucleispark.metrics.OverlapTable;
import org.nucleispark.model.ModelFiles;
import org.nucleispark.model.ModelMetadata;
import org.nucleispark.model.ModelUnavailableException;
import org.nucleispark.postprocess.Detections;

/**
 * The Mask R-CNN's serving block (model.json {@code serving}, nucleispark_train/maskrcnn_serving.py): the
 * canonical input for the modalities it lists (the percentile RGB for the others), and a shrink of images whose
 * nuclei are far larger than its training nuclei. The label-level agreement with Python on sample-data
 * (every image through the canonical path) is {@link MaskRcnnSegmenterTest}'s.
 */
class MaskRcnnServingTest {
    private static ModelFiles shipped() {
        return ModelFiles.resolve("models", "maskrcnn", new Configuration());
    }

    @Test
    void theShippedModelCarriesItsServingBlock() {
        ModelMetadata m = shipped().metadata();
        assertNotNull(m.canonical(), "serving.canonical gives the canonical recipe");
        // fine-tuned on the canonical input (train_maskrcnn --canonical): every modality gets it
        assertEquals(EnumSet.of(Modality.FLUORESCENCE, Modality.BRIGHTFIELD, Modality.HISTOLOGY), m.canonicalFor());
        assertEquals(3.0, m.shrinkAbove());
        assertEquals(false, m.enlarge());
        assertTrue(m.nucleusDiameter() > 8 && m.nucleusDiameter() < 25, "DSB's nuclei: " + m.nucleusDiameter());
    }

    @Test
    void aModelWithoutTheBlockServesItsTrainingInputAsBefore() {
        String json = """
                {"name": "m", "file": "model.pt", "sha256": "ab", "input_channels": 3, "tile_size": 512,
                 "input": {"size_multiple": 1}, "outputs": ["boxes", "scores", "masks"],
                 "normalisation": {"method": "percentile", "low": 1.0, "high": 99.8}}""";
        ModelMetadata m = ModelMetadata.parse(json, "test");
        assertEquals(null, m.canonical());
        assertTrue(m.canonicalFor().isEmpty());
        assertTrue(Double.isNaN(m.shrinkAbove()));
        assertTrue(m.enlarge());
    }

    @Test
    void anUnknownServedModalityIsRefused() {
        String json = """
                {"name": "m", "file": "model.pt", "sha256": "ab", "input_channels": 3, "tile_size": 512,
                 "input": {"size_multiple": 1}, "outputs": ["boxes", "scores", "masks"],
                 "normalisation": {"method": "percentile", "low": 1.0, "high": 99.8},
                 "serving": {"canonical_for": ["phase"], "canonical": {"chroma_threshold": 0.06, "bright_threshold": 0.5,
                   "low": 1.0, "high": 99.8, "hed_from_rgb_column0": [1.8, -0.07, -0.6]}}}""";
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ModelMetadata.parse(json, "test"));
        assertTrue(e.getMessage().contains("phase"), e.getMessage());
    }

    /**
     * S-BSST265's nuclei are 5-10x DSB's; the Mask R-CNN learned DSB's and finds almost none of them at their
     * own size. Shrunk to its scale (about 0.13x here), it finds them: Java measured 0.420 against 0.121
     * on this image (docs/generalisation.md), and boxes mapped back land on the image's own pixels.
     */
    @Test
    void imagesWithFarLargerNucleiAreShrunkToTheModelsScale() throws Exception {
        Image image = SampleImages.image(SampleImages.S_BSST265, "normal_3");
        LabelImage truth = SampleImages.truth(SampleImages.S_BSST265, "normal_3", image);
        try (MaskRcnnSegmenter auto = new MaskRcnnSegmenter(shipped(), null, Double.NaN, null);
             MaskRcnnSegmenter off = new MaskRcnnSegmenter(shipped(), null, 0, null)) {
            double autoScore = DsbMetric.imageScore(OverlapTable.of(truth, auto.segment(image).labels()));
            double offScore = DsbMetric.imageScore(OverlapTable.of(truth, off.segment(image).labels()));
            System.out.printf("normal_3, Mask R-CNN: auto %.4f, off %.4f%n", autoScore, offScore);
            assertTrue(autoScore > 0.3, "shrunk to the model's scale: " + autoScore);
            assertTrue(offScore < 0.2, "at its own scale the model misses these nuclei: " + offScore);
            assertNotEquals(auto.version(), off.version(), "--nucleus-diameter off changes the output, so the version");
            Detections d = auto.detect(image);
            float maxX2 = 0;
            for (int k = 0; k < d.count(); k++) maxX2 = Math.max(maxX2, d.x2(k));
            assertTrue(maxX2 > 0.5 * image.width() && maxX2 <= image.width() + 1, "boxes in image pixels: max x2 " + maxX2);
        }
    }

    @Test
    void boxesFoundOnAShrunkImageMapBackToTheImagesPixels() {
        Detections small = new Detections(new float[] {1, 2, 5, 6}, new float[] {0.9f}, new float[4], 2);
        Detections back = MaskRcnnSegmenter.boxesScaled(small, 4.0, 2.5);
        assertEquals(4f, back.x1(0));
        assertEquals(5f, back.y1(0));
        assertEquals(20f, back.x2(0));
        assertEquals(15f, back.y2(0));
        assertEquals(small.masks(), back.masks(), "masks are relative to their boxes: the same array");
    }
}
