package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.Image;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.Modality;
import org.nucleispark.io.Rle;
import org.nucleispark.metrics.DsbMetric;
import org.nucleispark.metrics.OverlapTable;
import org.nucleispark.model.ModelFiles;

/**
 * Issue 13 item 4, "works with tiling and the block path": an image segmented block by block (one above
 * {@code --block-pixels}) is brought to the model's nucleus size as it would be whole. Until 2026-12-07 the blocks
 * were served at their own size whatever their nuclei. Here every image goes block by block (threshold 1 px) and
 * the statistics sample holds every pixel, so the block path's factor comes from the same bounds as the whole
 * image's and may differ only by the windows it measures on ({@link NucleusSizeWindows}).
 */
class BlockRescalingTest {
    private static final ModelFiles UNET = ModelFiles.resolve("models", "unet", new Configuration());
    private static final ModelFiles MASKRCNN = ModelFiles.resolve("models", "maskrcnn", new Configuration());

    private static UNetOptions unetOptions(double nucleusDiameter) {
        return new UNetOptions(false, Double.NaN, Double.NaN, 4, null, nucleusDiameter);
    }

    /** Blocks of {@code block}² with a margin of {@code margin} px, every image block by block, sampled whole. */
    private static BlockSegmenter.Result blocks(Segmenter segmenter, Image image, int block, int margin) throws Exception {
        return new BlockSegmenter(segmenter, new BlockOptions(1, block, margin, image.pixelCount())).segment(new InMemoryRegions(image));
    }

    private static LabelImage labels(BlockSegmenter.Result r, int w, int h) {
        int[] painted = new int[w * h];
        for (Map.Entry<Integer, String> e : r.rle().entrySet()) Rle.paint(e.getValue(), e.getKey(), painted, w, h);
        return new LabelImage(w, h, painted);
    }

    private static double score(LabelImage predicted, LabelImage truth) {
        return DsbMetric.imageScore(OverlapTable.of(truth, predicted));
    }

    /**
     * The sample H&E image 1631352d at twice its magnification (nuclei about 38 px): whole, the U-Net halves it
     * (CanonicalUNetTest: 0.241 against 0.219 left alone). In blocks of 512 px it must get the same factor, from the
     * weighted histology estimate on its windows, and gain over the blocks served at their own size.
     */
    @Test
    void theUNetBringsHistologyBlocksToItsTrainingScaleAsItDoesTheWholeImage() throws Exception {
        SampleImages.Annotated x2 = SampleImages.histologyAtTwiceTheMagnification();
        Image image = x2.image();
        LabelImage truth = x2.truth();
        int w = image.width(), h = image.height();
        float[] plane = UNET.metadata().canonical().normalise(image, Modality.HISTOLOGY)[0];
        double whole = ScaleToModel.factor(Double.NaN, plane, Modality.HISTOLOGY, UNET.metadata(), w, h);
        assertTrue(whole > 0.4 && whole < 0.65, "the whole image is about halved: " + whole);

        try (UNetSegmenter auto = new UNetSegmenter(UNET, unetOptions(Double.NaN));
             UNetSegmenter off = new UNetSegmenter(UNET, unetOptions(0))) {
            assertTrue(auto.readsWindows(image));
            BlockSegmenter.Result scaled = blocks(auto, image, 512, 128);
            BlockSegmenter.Result own = blocks(off, image, 512, 128);
            assertTrue(scaled.blocks() > 1, "segmented in " + scaled.blocks() + " blocks");
            assertEquals(Modality.HISTOLOGY, scaled.statistics().modality());
            assertEquals(whole, scaled.statistics().scale(), 0.05 * whole, "the blocks' factor is the whole image's");
            assertEquals(1.0, own.statistics().scale());
            double a = score(labels(scaled, w, h), truth), o = score(labels(own, w, h), truth);
            System.out.printf("1631352d x2 in blocks: factor %.3f (whole %.3f), auto %.4f, off %.4f%n",
                    scaled.statistics().scale(), whole, a, o);
            // measured 0.229 against 0.219 (whole: 0.241): each block is resized on its own pixel grid, a sub-pixel
            // shift of the whole image's, which costs a little of the gain
            assertTrue(a > o + 0.005, "auto " + a + " vs off " + o);
        }
    }

    /**
     * The S-BSST265 cytospin normal_3 (nuclei about 160 px across, 10x the U-Net's training size; held out of the
     * models' training): both networks shrink it whole, so both must shrink its blocks, and the blocks must still
     * find its nuclei. The margin (256 px) holds the largest nucleus (235 px), as the block options ask.
     * {@code --nucleus-diameter PX} needs no measuring: the factor is the model's size over the user's.
     */
    @Test
    void bothNetworksShrinkTheBlocksOfAnImageOfLargeNuclei() throws Exception {
        Image image = SampleImages.image(SampleImages.S_BSST265, "normal_3");
        LabelImage truth = SampleImages.truth(SampleImages.S_BSST265, "normal_3", image);
        int w = image.width(), h = image.height();
        float[] plane = UNET.metadata().canonical().normalise(image, Modality.FLUORESCENCE)[0];

        try (UNetSegmenter unet = new UNetSegmenter(UNET, unetOptions(Double.NaN));
             MaskRcnnSegmenter maskrcnn = new MaskRcnnSegmenter(MASKRCNN, null, Double.NaN, null)) {
            for (Segmenter s : new Segmenter[] {unet, maskrcnn}) {
                ModelFiles files = s == unet ? UNET : MASKRCNN;
                double whole = ScaleToModel.factor(Double.NaN, plane, Modality.FLUORESCENCE, files.metadata(), w, h);
                assertTrue(whole < 0.5, s.name() + " shrinks the whole image: " + whole);
                BlockSegmenter.Result r = blocks(s, image, 512, 256);
                double score = score(labels(r, w, h), truth);
                System.out.printf("normal_3 in blocks, %s: factor %.3f (whole %.3f), mAP %.4f%n", s.name(),
                        r.statistics().scale(), whole, score);
                assertEquals(whole, r.statistics().scale(), 0.05 * whole, s.name());
                assertTrue(score > 0.4, s.name() + " finds the large nuclei in blocks: " + score); // classical: 0.31
            }
        }
        try (UNetSegmenter given = new UNetSegmenter(UNET, unetOptions(140))) {
            assertTrue(!given.readsWindows(image), "a given size reads no windows of fluorescence");
            BlockSegmenter.Result r = blocks(given, image, 512, 256);
            assertEquals(UNET.metadata().nucleusDiameter() / 140, r.statistics().scale(), 1e-12);
        }
    }
}
