package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.CanonicalInput;
import org.nucleispark.image.Image;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.Modality;
import org.nucleispark.metrics.DsbMetric;
import org.nucleispark.metrics.OverlapTable;
import org.nucleispark.model.ModelFiles;

/**
 * The canonical-input U-Net (models/unet, the default) through DJL, on an S-BSST265 cytospin whose nuclei are
 * several times the DSB size (normal_3: held out of that model's training, CC0). The former U-Net needed the
 * rescaling to the model's nucleus scale to segment them (0.535 auto against 0.399 off); its successors, trained
 * with 0.5-2x scale augmentation and S-BSST265, segment them either way (the one of 2026-12-02: auto 0.463, off 0.666
 * on this image; the distilled one shipped since 2026-12-06: auto 0.763, off 0.757). So: both segment the
 * large nuclei, the rescale really runs (the results differ), and forcing the modality the image has changes nothing.
 */
class CanonicalUNetTest {
    private static LabelImage segment(UNetOptions options, Image image) {
        ModelFiles files = ModelFiles.resolve("models", "unet", new Configuration());
        try (UNetSegmenter unet = new UNetSegmenter(files, options)) {
            return unet.segment(image).labels();
        }
    }

    private static double score(LabelImage predicted, LabelImage truth) {
        return DsbMetric.imageScore(OverlapTable.of(truth, predicted));
    }

    @Test
    void largeNucleiAreSegmentedWithAndWithoutRescaling() throws Exception {
        Image image = SampleImages.image(SampleImages.S_BSST265, "normal_3");
        LabelImage truth = SampleImages.truth(SampleImages.S_BSST265, "normal_3", image);

        ModelFiles files = ModelFiles.resolve("models", "unet", new Configuration());
        assertNotNull(files.metadata().canonical());
        assertTrue(files.metadata().nucleusDiameter() > 5 && files.metadata().nucleusDiameter() < 40);

        LabelImage autoLabels = segment(new UNetOptions(false, Double.NaN, Double.NaN, 4, null, Double.NaN), image);
        LabelImage offLabels = segment(new UNetOptions(false, Double.NaN, Double.NaN, 4, null, 0), image);
        double auto = score(autoLabels, truth), off = score(offLabels, truth);
        double forced = score(segment(new UNetOptions(false, Double.NaN, Double.NaN, 4, Modality.FLUORESCENCE, Double.NaN), image), truth);
        System.out.printf("normal_3: auto %.4f, off %.4f, forced fluorescence %.4f%n", auto, off, forced);
        assertTrue(auto > 0.4 && off > 0.4, "auto " + auto + " vs off " + off); // classical: 0.31 on these images
        // The rescale really runs: its labels are not off's. (The scores need not differ much: the distilled U-Net
        // scores 0.763 auto against 0.757 off on this image; a score gap was asserted here until 2026-12-06.)
        assertFalse(Arrays.equals(autoLabels.labels(), offLabels.labels()), "auto rescales this image, so it must differ from off");
        assertEquals(auto, forced, 1e-12);
    }

    /**
     * The shipped U-Net never enlarges (model.json serving.enlarge false): on DSB's 1024² brightfield images the
     * estimate takes texture for nuclei under half the model's size, and enlarging them 2x lowered all four
     * held-out ones by about 0.1 mAP (docs/generalisation.md, "Never enlarge"). The sample is one of them: the
     * rule before would have enlarged it, the served labels are those of --nucleus-diameter off.
     */
    @Test
    void imagesWhoseNucleiLookTinyAreNotEnlarged() throws Exception {
        String id = SampleImages.ids().stream().filter(s -> s.startsWith("5e263abf")).findFirst().orElseThrow();
        Image image = SampleImages.image(id);
        ModelFiles files = ModelFiles.resolve("models", "unet", new Configuration());
        assertFalse(files.metadata().enlarge());
        assertEquals(1.5, files.metadata().shrinkAbove());
        Modality m = files.metadata().canonical().detect(image);
        assertEquals(Modality.BRIGHTFIELD, m);
        float[] plane = files.metadata().canonical().normalise(image, m)[0];
        double estimate = NucleusDiameter.estimate(plane, image.width(), image.height());
        assertEquals(2.0, ScaleToModel.factor(estimate, files.metadata().nucleusDiameter(), image.width(), image.height()),
                "the earlier rule enlarges this image (estimate " + estimate + " px)");
        LabelImage auto = segment(new UNetOptions(false, Double.NaN, Double.NaN, 4, null, Double.NaN), image);
        LabelImage off = segment(new UNetOptions(false, Double.NaN, Double.NaN, 4, null, 0), image);
        assertTrue(Arrays.equals(auto.labels(), off.labels()), "served at its own size");
    }

    /**
     * Colour histology at twice the magnification (issue 13: on the hidden H&E sets large nuclei came out shrunk):
     * the sample H&E image 1631352d enlarged 2x, its nuclei about 38 px across. The plain estimate counts the
     * haematoxylin specks as nuclei and leaves the image alone; the weighted estimate (NucleusDiameter.estimateWeighted)
     * sees the nuclei's size, and the image is brought to the histology training median (model.json
     * nucleus_diameter.histology). Measured here (bilinear enlargement, one view): 0.219 left alone, 0.241 brought
     * back with the thesis' watershed; 0.203 and 0.217 with the blurred difference served since 2026-12-07 (on the 27
     * held-out histology images at 2x it scores 0.269 against 0.249, docs/generalisation.md); Python with PIL's
     * bicubic enlargement: 0.217 and 0.269 (thesis' watershed). With histology served to the network as the grey plane
     * (model.json histology_input, since 2026-12-08; the nuclei still measured on the haematoxylin): 0.184 and 0.249.
     */
    @Test
    void histologyAtTwiceTheMagnificationIsBroughtBackToItsTrainingScale() throws Exception {
        SampleImages.Annotated x2 = SampleImages.histologyAtTwiceTheMagnification();
        Image image = x2.image();
        LabelImage truth = x2.truth();
        ModelFiles files = ModelFiles.resolve("models", "unet", new Configuration());
        double histology = files.metadata().histologyNucleusDiameter();
        assertTrue(histology > 15 && histology < 35, "histology training median " + histology);
        assertEquals(Modality.HISTOLOGY, files.metadata().canonical().detect(image));
        // the plane the nuclei are measured on: the haematoxylin one, whatever the network sees of histology
        CanonicalInput canonical = files.metadata().canonical();
        float[] plane = canonical.serve(image, Modality.HISTOLOGY).measuring();
        int w = image.width(), h = image.height();
        double plain = NucleusDiameter.estimate(plane, w, h), weighted = NucleusDiameter.estimateWeighted(plane, w, h);
        assertEquals(1.0, ScaleToModel.factor(plain, files.metadata(), w, h), "the plain estimate (" + plain + " px) leaves it");
        double f = ScaleToModel.factor(Double.NaN, plane, Modality.HISTOLOGY, files.metadata(), w, h);
        assertEquals(histology / weighted, f, 1e-12, "weighted estimate " + weighted + " px");
        assertTrue(f > 0.4 && f < 0.65, "about half: " + f);

        double auto = score(segment(new UNetOptions(false, Double.NaN, Double.NaN, 4, null, Double.NaN), image), truth);
        double off = score(segment(new UNetOptions(false, Double.NaN, Double.NaN, 4, null, 0), image), truth);
        System.out.printf("1631352d x2: auto %.4f, off %.4f%n", auto, off);
        assertTrue(auto > off + 0.01, "auto " + auto + " vs off " + off);
    }
}
