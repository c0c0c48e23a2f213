package org.nucleispark.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.stream.FileImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regions and subsampled reads through RegionReader give exactly the pixels of a whole-file decode. */
class RegionReaderTest {
    @TempDir
    Path tmp;

    @Test
    void regionsAndSamplesOfATiledTiffAndAPngEqualTheWholeDecode() throws Exception {
        SyntheticDiscs discs = new SyntheticDiscs(1100, 700, 50, 10, 0.2);
        for (String format : new String[] {"tiff", "png"}) {
            File f = tmp.resolve("discs." + format).toFile();
            discs.write(f, format);
            check(f, 1100, 700);
        }
    }

    @Test
    void regionsOfARealRgbaPngEqualTheWholeDecode() throws Exception {
        check(TestImages.DSB_IMAGE.toFile(), 256, 256);
    }

    @Test
    void notAnImageGivesNoReader() throws Exception {
        Path p = tmp.resolve("text.png");
        Files.writeString(p, "hello, I am text");
        try (FileImageInputStream in = new FileImageInputStream(p.toFile())) {
            assertNull(RegionReader.open(in));
        }
    }

    private static void check(File file, int w, int h) throws Exception {
        Image whole = new ImageDecoder().decode(file.getName(), Files.readAllBytes(file.toPath())).frames().get(0).image();
        try (FileImageInputStream in = new FileImageInputStream(file); RegionReader reader = RegionReader.open(in)) {
            assertEquals(1, reader.pages());
            assertEquals((long) w * h, reader.firstPagePixels());
            ImageRegions page = reader.page(0);
            int[][] regions = {{0, 0, 100, 80}, {w - 130, h - 70, 130, 70}, {w / 3, h / 2, w / 3, h / 4}, {0, 0, w, h}};
            for (int[] r : regions) {
                Image region = page.read(r[0], r[1], r[2], r[3]);
                assertEquals(whole.channels(), region.channels());
                assertEquals(whole.bitDepth(), region.bitDepth());
                for (int c = 0; c < whole.channels(); c++) assertArrayEquals(crop(whole.plane(c), w, r), region.plane(c));
            }
            ImageRegions.Sample sample = page.sample((long) ((w + 2) / 3) * ((h + 2) / 3));
            assertEquals(3, sample.step());
            Image s = sample.image();
            assertEquals((w + 2) / 3, s.width());
            assertEquals((h + 2) / 3, s.height());
            for (int y = 0; y < s.height(); y++) {
                for (int x = 0; x < s.width(); x++) assertEquals(whole.get(0, 3 * x, 3 * y), s.get(0, x, y));
            }
        }
    }

    private static float[] crop(float[] plane, int w, int[] r) {
        float[] out = new float[r[2] * r[3]];
        for (int y = 0; y < r[3]; y++) System.arraycopy(plane, (r[1] + y) * w + r[0], out, y * r[2], r[2]);
        return out;
    }
}
