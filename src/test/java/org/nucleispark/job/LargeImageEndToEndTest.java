package org.nucleispark.job;

import org.nucleispark.runtime.ExitCodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.image.SyntheticDiscs;
import org.nucleispark.io.Rle;
import org.nucleispark.measure.ShapeMeasurer;
import org.nucleispark.segment.ClassicalOptions;
import org.nucleispark.segment.ClassicalSegmenter;

/**
 * The segment CLI with a block threshold low enough that a tiled LZW TIFF and a PNG of synthetic
 * discs go block by block (512-px cores, 48-px margins), next to an ordinary DSB image that does not:
 * every disc found once, near its centre; RLEs that decode to the instance's area; the same count as
 * whole-image segmentation; no label PNG for the block-processed images, one for the ordinary image.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeImageEndToEndTest {
    private static final String DSB_ID = "b0d6dfcc95e4d087d232378f860fc3ef9f95ea5a4c26d623a0be091f820a793f";
    private final SyntheticDiscs tiffDiscs = new SyntheticDiscs(1500, 1100, 50, 10, 0);
    private final SyntheticDiscs pngDiscs = new SyntheticDiscs(1300, 900, 50, 10, 0.5);
    private Path tmp;
    private Path input;
    private Path output;
    private int exit;
    private SparkSession spark;

    @BeforeAll
    void runSegment() throws IOException {
        tmp = Files.createTempDirectory("nucleispark-large");
        input = tmp.resolve("in");
        Files.createDirectories(input);
        tiffDiscs.write(input.resolve("big-tiff.tif").toFile(), "tiff");
        pngDiscs.write(input.resolve("big-png.png").toFile(), "png");
        Path dsb = Path.of("sample-data/dsb", DSB_ID, "images", DSB_ID + ".png");
        Files.copy(dsb, input.resolve("small.png"));
        output = tmp.resolve("out");
        exit = Main.run("segment", "--input", input.toString(), "--output", output.toString(), "--model", "classical",
                "--labels", "--master", "local[2]", "--block-pixels", "1000000", "--block-size", "512", "--block-margin", "48");
        spark = SparkSession.builder().master("local[1]").appName("large-check").getOrCreate();
    }

    @AfterAll
    void stop() {
        if (spark != null) spark.stop();
        org.apache.commons.io.FileUtils.deleteQuietly(tmp.toFile());
    }

    @Test
    void largeImagesAreSegmentedBlockByBlockLikeWholeImages() throws IOException {
        assertEquals(ExitCodes.OK, exit);
        Map<String, Row> images = spark.read().parquet(output.resolve("images").toString()).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("image_id"), r -> r));
        assertEquals(3, images.size(), images.keySet().toString());
        check(images.get("big-tiff"), "big-tiff", tiffDiscs, 1500, 1100);
        check(images.get("big-png"), "big-png", pngDiscs, 1300, 900);
        assertEquals("ok", images.get("small").getAs("status"));
    }

    @Test
    void labelPngsOnlyForImagesProcessedWhole() {
        assertTrue(Files.exists(output.resolve("labels/small.png")), "the ordinary image keeps its label image");
        assertFalse(Files.exists(output.resolve("labels/big-tiff.png")), "no whole-image label PNG for a block-processed image");
        assertFalse(Files.exists(output.resolve("labels/big-png.png")));
    }

    @Test
    void badBlockOptionsAreASetupError() {
        assertEquals(ExitCodes.SETUP_ERROR, Main.run("segment", "--input", input.toString(), "--output", tmp.resolve("bad").toString(),
                "--model", "classical", "--block-size", "10"));
        assertEquals(ExitCodes.SETUP_ERROR, Main.run("segment", "--input", input.toString(), "--output", tmp.resolve("bad").toString(),
                "--model", "classical", "--block-margin", "-1"));
        assertFalse(Files.exists(tmp.resolve("bad")), "nothing written");
    }

    private void check(Row image, String id, SyntheticDiscs discs, int w, int h) throws IOException {
        assertNotNull(image, id);
        assertEquals("ok", image.getAs("status"), id + ": " + image.getAs("error"));
        assertEquals(w, (int) image.<Integer>getAs("width"));
        assertEquals(h, (int) image.<Integer>getAs("height"));
        assertEquals(1, (int) image.<Integer>getAs("channels"));
        assertEquals(8, (int) image.<Integer>getAs("bit_depth"));
        List<Row> instances = spark.read().parquet(output.resolve("instances").toString()).where("image_id = '" + id + "'").collectAsList();
        assertEquals((int) image.<Integer>getAs("n_nuclei"), instances.size());

        // every disc wholly inside the image is found exactly once, centred on it
        List<double[]> truth = discs.discs();
        for (double[] c : truth) {
            long near = instances.stream().filter(r -> Math.hypot(r.<Double>getAs("centroid_x") - c[0],
                    r.<Double>getAs("centroid_y") - c[1]) < 2).count();
            assertEquals(1, near, id + ": instances centred on the disc at " + c[0] + "," + c[1]);
        }
        // RLEs against the whole image, DSB convention: their pixels are the instance's area, inside its box
        for (Row r : instances) {
            boolean[] mask = Rle.decode(r.getAs("rle"), w, h);
            int area = 0;
            for (int i = 0; i < mask.length; i++) {
                if (!mask[i]) continue;
                area++;
                int x = i % w, y = i / w;
                assertTrue(x >= r.<Integer>getAs("bbox_x0") && x < r.<Integer>getAs("bbox_x1")
                        && y >= r.<Integer>getAs("bbox_y0") && y < r.<Integer>getAs("bbox_y1"), id + ": pixel outside the box");
            }
            assertEquals((int) r.<Integer>getAs("area"), area);
        }
        // as many nuclei as whole-image segmentation of the same file finds
        Image whole = new ImageDecoder().decode(id, Files.readAllBytes(input.resolve(id.equals("big-tiff") ? "big-tiff.tif" : "big-png.png")))
                .frames().get(0).image();
        int wholeCount = ShapeMeasurer.measure(new ClassicalSegmenter(ClassicalOptions.defaults()).segment(whole)).size();
        assertEquals(wholeCount, instances.size(), id + ": block-by-block vs whole-image count");
        assertTrue(instances.size() >= truth.size(), id);
    }
}
