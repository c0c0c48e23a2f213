package org.nucleispark.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.Segmentation;
import org.nucleispark.io.GroundTruthMasks;

/** The DSB images of sample-data/ and their ground truth, as the segmenter tests read them. */
final class SampleImages {
    static final Path DSB = Paths.get("sample-data/dsb");
    /** One held-out S-BSST265 image (nuclei about 100 px across, 5-10x DSB's) in the DSB layout. */
    static final Path S_BSST265 = Paths.get("src/test/resources/s-bsst265");

    private SampleImages() {}

    static List<String> ids() throws IOException {
        try (var s = Files.list(DSB)) {
            return s.sorted().map(p -> p.getFileName().toString()).toList();
        }
    }

    static Image image(String id) throws IOException {
        return image(DSB, id);
    }

    static Image image(Path root, String id) throws IOException {
        byte[] bytes = Files.readAllBytes(root.resolve(id + "/images/" + id + ".png"));
        return new ImageDecoder().decode(id, bytes).frames().get(0).image();
    }

    static LabelImage truth(String id, Image image) throws IOException {
        return truth(DSB, id, image);
    }

    static LabelImage truth(Path root, String id, Image image) throws IOException {
        List<GroundTruthMasks.Mask> masks = new ArrayList<>();
        try (var s = Files.list(root.resolve(id + "/masks"))) {
            for (Path p : s.sorted().toList()) masks.add(new GroundTruthMasks.Mask(p.toString(), Files.readAllBytes(p)));
        }
        return GroundTruthMasks.build(image.width(), image.height(), masks).labels();
    }

    /** segment(image, statistics(image)) must be segment(image): the block path's identity on a whole image. */
    static void assertStatisticsOverloadIsIdentity(Segmenter segmenter) throws IOException {
        Image image = image(ids().get(1));
        Segmentation plain = segmenter.segment(image);
        Segmentation overload = segmenter.segment(image, segmenter.statistics(image));
        org.junit.jupiter.api.Assertions.assertArrayEquals(plain.labels().labels(), overload.labels().labels());
        org.junit.jupiter.api.Assertions.assertArrayEquals(plain.scores(), overload.scores());
    }

    /** The image k times larger: bilinear planes (ScaleToModel.resize), as a higher magnification would show it. */
    static Image enlarged(Image image, int k) {
        int w = image.width(), h = image.height();
        float[][] planes = new float[image.channels()][];
        for (int c = 0; c < planes.length; c++) planes[c] = image.plane(c);
        return new Image(w * k, h * k, ScaleToModel.resize(planes, w, h, w * k, h * k), image.bitDepth());
    }

    /** The labels k times larger, each pixel repeated k x k times. */
    static LabelImage enlarged(LabelImage labels, int k) {
        int w = labels.width(), h = labels.height();
        int[] out = new int[w * k * h * k];
        for (int y = 0; y < h * k; y++) for (int x = 0; x < w * k; x++) out[y * w * k + x] = labels.get(x / k, y / k);
        return new LabelImage(w * k, h * k, out);
    }

    /** An image and its ground truth. */
    record Annotated(Image image, LabelImage truth) {}

    /**
     * The sample H&E image 1631352d at twice its magnification (bilinear, nuclei about 38 px across) and its truth
     * (each pixel repeated): the large histology nuclei of the hidden H&E sets (issue 13).
     */
    static Annotated histologyAtTwiceTheMagnification() throws IOException {
        String id = ids().stream().filter(s -> s.startsWith("1631352d")).findFirst().orElseThrow();
        Image small = image(id);
        return new Annotated(enlarged(small, 2), enlarged(truth(id, small), 2));
    }
}
