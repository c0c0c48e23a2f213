package org.nucleispark.image;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nucleispark.image.TestImages.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder();

    private Image single(String name, byte[] bytes) {
        DecodeResult r = decoder.decode(name, bytes);
        assertTrue(r.isOk(), () -> "expected a decoded image, got " + r);
        assertEquals(1, r.frames().size());
        assertEquals(0, r.frames().get(0).index());
        return r.frames().get(0).image();
    }

    private String error(String name, byte[] bytes) {
        DecodeResult r = decoder.decode(name, bytes);
        assertFalse(r.isOk(), () -> "expected an error, got " + r);
        return r.error();
    }

    private static void assertPlane(Image img, int c, TestImages.SampleFunction expected, int band) {
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int want = expected.at(x, y, band);
                if (img.get(c, x, y) != want) {
                    assertEquals(want, img.get(c, x, y), "channel " + c + " at (" + x + ", " + y + ")");
                }
            }
        }
    }

    // ---- PNG ----

    @Test
    void grey8Png() {
        TestImages.SampleFunction f = (x, y, b) -> (x * 7 + y * 13) % 256;
        byte[] png = TestImages.png(image(BufferedImage.TYPE_BYTE_GRAY, 20, 15, f));
        assertEquals(0, TestImages.pngColourType(png));
        Image img = single("g.png", png);
        assertEquals(20, img.width());
        assertEquals(15, img.height());
        assertEquals(1, img.channels());
        assertEquals(8, img.bitDepth());
        assertPlane(img, 0, f, 0);
    }

    @Test
    void grey16PngKeepsSixteenBitValues() {
        TestImages.SampleFunction f = (x, y, b) -> x == 0 && y == 0 ? 65535 : (x * 3001 + y * 977) % 65536;
        byte[] png = TestImages.png(image(BufferedImage.TYPE_USHORT_GRAY, 20, 20, f));
        assertEquals(16, TestImages.pngBitDepth(png));
        assertEquals(0, TestImages.pngColourType(png));
        Image img = single("g16.png", png);
        assertEquals(1, img.channels());
        assertEquals(16, img.bitDepth());
        assertEquals(65535f, img.get(0, 0, 0));
        assertPlane(img, 0, f, 0);
    }

    @Test
    void greyAlphaPngDropsAlpha() {
        TestImages.SampleFunction f = (x, y, b) -> b == 0 ? (x * 11 + y) % 256 : (x % 2 == 0 ? 0 : 255);
        byte[] png = TestImages.png(TestImages.greyAlpha(DataBuffer.TYPE_BYTE, 16, 16, f));
        assertEquals(4, TestImages.pngColourType(png));
        Image img = single("ga.png", png);
        assertEquals(1, img.channels());
        assertEquals(8, img.bitDepth());
        assertPlane(img, 0, f, 0);
    }

    @Test
    void greyAlpha16Png() {
        TestImages.SampleFunction f = (x, y, b) -> b == 0 ? 1000 * x + y : 65535;
        byte[] png = TestImages.png(TestImages.greyAlpha(DataBuffer.TYPE_USHORT, 16, 16, f));
        assertEquals(4, TestImages.pngColourType(png));
        assertEquals(16, TestImages.pngBitDepth(png));
        Image img = single("ga16.png", png);
        assertEquals(1, img.channels());
        assertEquals(16, img.bitDepth());
        assertPlane(img, 0, f, 0);
    }

    // Raster bands are R, G, B whatever the byte order in memory (TYPE_3BYTE_BGR stores B first).
    private static final TestImages.SampleFunction RGB = (x, y, b) -> switch (b) {
        case 0 -> x * 10;
        case 1 -> y * 10;
        case 2 -> 255 - x * 5;
        default -> x % 3 == 0 ? 0 : 128 + y; // alpha, including fully transparent pixels
    };

    @Test
    void rgbPng() {
        byte[] png = TestImages.png(image(BufferedImage.TYPE_3BYTE_BGR, 20, 20, RGB));
        assertEquals(2, TestImages.pngColourType(png));
        Image img = single("rgb.png", png);
        assertEquals(3, img.channels());
        assertEquals(8, img.bitDepth());
        for (int c = 0; c < 3; c++) assertPlane(img, c, RGB, c);
    }

    @Test
    void rgbaPngGivesThreeChannelsUnaffectedByAlpha() {
        // TYPE_4BYTE_ABGR: band order R, G, B, A.
        byte[] png = TestImages.png(image(BufferedImage.TYPE_4BYTE_ABGR, 20, 20, RGB));
        assertEquals(6, TestImages.pngColourType(png));
        Image img = single("rgba.png", png);
        assertEquals(3, img.channels());
        assertEquals(8, img.bitDepth());
        for (int c = 0; c < 3; c++) assertPlane(img, c, RGB, c);
    }

    @Test
    void palettePngExpandsToRgb() {
        byte[] r = {(byte) 255, 0, 0, 17};
        byte[] g = {0, (byte) 255, 0, 34};
        byte[] b = {0, 0, (byte) 255, 51};
        BufferedImage img = new BufferedImage(12, 12, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 4, r, g, b));
        TestImages.SampleFunction idx = (x, y, band) -> (x + y) % 4;
        for (int y = 0; y < 12; y++) for (int x = 0; x < 12; x++) img.getRaster().setSample(x, y, 0, idx.at(x, y, 0));
        byte[] png = TestImages.png(img);
        assertEquals(3, TestImages.pngColourType(png));
        Image out = single("pal.png", png);
        assertEquals(3, out.channels());
        assertEquals(8, out.bitDepth());
        for (int c = 0; c < 3; c++) {
            byte[] table = c == 0 ? r : c == 1 ? g : b;
            assertPlane(out, c, (x, y, band) -> table[idx.at(x, y, 0)] & 0xFF, c);
        }
    }

    @Test
    void oneBitGreyPngWidensToEightBitGrey() {
        // PNG defines 1-bit grey as black/white; the JDK hands it over as a 2-entry grey palette.
        TestImages.SampleFunction f = (x, y, b) -> (x / 3 + y) % 2;
        byte[] png = TestImages.png(image(BufferedImage.TYPE_BYTE_BINARY, 10, 10, f));
        assertEquals(1, TestImages.pngBitDepth(png));
        Image img = single("bin.png", png);
        assertEquals(1, img.channels());
        assertEquals(8, img.bitDepth());
        assertPlane(img, 0, (x, y, b) -> 255 * f.at(x, y, b), 0);
    }

    // ---- JPEG ----

    @Test
    void rgbJpegKeepsChannelOrder() {
        TestImages.SampleFunction f = (x, y, b) -> x < 16 ? new int[] {200, 50, 10}[b] : new int[] {20, 120, 230}[b];
        Image img = single("photo.jpg", TestImages.jpeg(image(BufferedImage.TYPE_3BYTE_BGR, 32, 16, f)));
        assertEquals(3, img.channels());
        assertEquals(8, img.bitDepth());
        // Lossy: compare away from the colour edge, within JPEG's error on flat 8x8 blocks.
        for (int c = 0; c < 3; c++) {
            final int ch = c;
            assertAll(() -> assertEquals(f.at(3, 8, ch), img.get(ch, 3, 8), 6f, "left, channel " + ch),
                      () -> assertEquals(f.at(28, 8, ch), img.get(ch, 28, 8), 6f, "right, channel " + ch));
        }
    }

    @Test
    void greyJpeg() {
        Image img = single("g.jpg", TestImages.jpeg(image(BufferedImage.TYPE_BYTE_GRAY, 16, 16, (x, y, b) -> 90)));
        assertEquals(1, img.channels());
        assertEquals(8, img.bitDepth());
        assertEquals(90f, img.get(0, 8, 8), 2f);
    }

    // ---- TIFF ----

    private static List<BufferedImage> pages(int type, int count, TestImages.SampleFunction perPage) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(k -> image(type, 64, 48, (x, y, b) -> perPage.at(x, y, k)))
                .toList();
    }

    @Test
    void eightBitLzwMultiPageTiff() {
        TestImages.SampleFunction f = (x, y, page) -> (40 * page + x / 8 + y / 8) % 256;
        List<BufferedImage> src = pages(BufferedImage.TYPE_BYTE_GRAY, 3, f);
        byte[] lzw = TestImages.tiff(src, "LZW");
        // Smooth content: LZW must have shrunk it well below the raw 3 * 64 * 48 bytes.
        assertTrue(lzw.length < TestImages.tiff(src, null).length / 2, "LZW was not applied: " + lzw.length + " bytes");
        DecodeResult r = decoder.decode("stack.tif", lzw);
        assertTrue(r.isOk(), r::toString);
        assertEquals(3, r.frames().size());
        for (int k = 0; k < 3; k++) {
            DecodeResult.Frame frame = r.frames().get(k);
            assertEquals(k, frame.index());
            assertEquals(1, frame.image().channels());
            assertEquals(8, frame.image().bitDepth());
            final int page = k;
            assertPlane(frame.image(), 0, (x, y, b) -> f.at(x, y, page), 0);
        }
    }

    @Test
    void sixteenBitLzwMultiPageTiff() {
        TestImages.SampleFunction f = (x, y, page) -> 20000 * page + 100 * (x / 8) + y / 8 + 300;
        List<BufferedImage> src = pages(BufferedImage.TYPE_USHORT_GRAY, 3, f);
        byte[] lzw = TestImages.tiff(src, "LZW");
        assertTrue(lzw.length < TestImages.tiff(src, null).length / 2, "LZW was not applied: " + lzw.length + " bytes");
        DecodeResult r = decoder.decode("stack16.tif", lzw);
        assertTrue(r.isOk(), r::toString);
        assertEquals(3, r.frames().size());
        for (int k = 0; k < 3; k++) {
            Image img = r.frames().get(k).image();
            assertEquals(16, img.bitDepth());
            final int page = k;
            assertPlane(img, 0, (x, y, b) -> f.at(x, y, page), 0);
        }
        assertEquals(f.at(63, 47, 2), r.frames().get(2).image().get(0, 63, 47));
    }

    @Test
    void deflateAndUncompressedTiff() {
        TestImages.SampleFunction f = (x, y, b) -> 50000 - 500 * x - y;
        for (String compression : new String[] {"Deflate", null}) {
            byte[] tif = TestImages.tiff(List.of(image(BufferedImage.TYPE_USHORT_GRAY, 64, 48, f)), compression);
            Image img = single("one.tif", tif);
            assertEquals(16, img.bitDepth(), "compression " + compression);
            assertPlane(img, 0, f, 0);
        }
    }

    @Test
    void rgbTiff() {
        Image img = single("rgb.tif", TestImages.tiff(List.of(image(BufferedImage.TYPE_3BYTE_BGR, 20, 20, RGB)), "LZW"));
        assertEquals(3, img.channels());
        for (int c = 0; c < 3; c++) assertPlane(img, c, RGB, c);
    }

    @Test
    void floatTiffIsUnsupported() {
        String reason = error("f.tif", TestImages.tiff(List.of(TestImages.grey(DataBuffer.TYPE_FLOAT, 8, 8)), null));
        assertTrue(reason.startsWith("unsupported sample format: 32-bit floating-point samples"), reason);
        assertTrue(reason.contains("supported: 8- or 16-bit"), reason);
    }

    @Test
    void signedSixteenBitTiffIsUnsupported() {
        String reason = error("s.tif", TestImages.tiff(List.of(TestImages.grey(DataBuffer.TYPE_SHORT, 8, 8)), null));
        assertTrue(reason.startsWith("unsupported sample format: signed 16-bit"), reason);
    }

    @Test
    void oneBitTiffIsUnsupported() {
        BufferedImage bilevel = image(BufferedImage.TYPE_BYTE_BINARY, 16, 16, (x, y, b) -> x % 2);
        String reason = error("fax.tif", TestImages.tiff(List.of(bilevel), null));
        assertTrue(reason.startsWith("unsupported sample format: 1-bit samples"), reason);
        assertTrue(reason.contains("supported: 8- or 16-bit"), reason);
    }

    // ---- sample data ----

    @Test
    void driftStackFromSampleData() {
        DecodeResult r = decoder.decode("drift16.tif", TestImages.read(TestImages.DRIFT16));
        assertTrue(r.isOk(), r::toString);
        assertEquals(3, r.frames().size());
        float max = 0;
        for (int k = 0; k < 3; k++) {
            Image img = r.frames().get(k).image();
            assertEquals(k, r.frames().get(k).index());
            assertEquals(256, img.width());
            assertEquals(256, img.height());
            assertEquals(1, img.channels());
            assertEquals(16, img.bitDepth());
            for (float v : img.plane(0)) max = Math.max(max, v);
        }
        assertEquals(2480f, max); // above 255: the 16-bit samples were not squeezed to 8 bits

        // make_timelapse.py: frame t is the DSB image's first channel x 16, rolled right by 4t pixels.
        Image dsb = single("dsb.png", TestImages.read(TestImages.DSB_IMAGE));
        for (int t = 0; t < 3; t++) {
            final int frame = t;
            assertPlane(r.frames().get(t).image(), 0,
                    (x, y, b) -> 16 * (int) dsb.get(0, Math.floorMod(x - 4 * frame, 256), y), 0);
        }
    }

    @Test
    void dsbRgbaPngFromSampleData() {
        byte[] png = TestImages.read(TestImages.DSB_IMAGE);
        assertEquals(6, TestImages.pngColourType(png)); // RGBA on disk
        Image img = single(TestImages.DSB_IMAGE.toString(), png);
        assertEquals(256, img.width());
        assertEquals(256, img.height());
        assertEquals(3, img.channels());
        assertEquals(8, img.bitDepth());
        float max = 0;
        for (float v : img.plane(0)) max = Math.max(max, v);
        assertEquals(155f, max);
    }

    // ---- bad input ----

    @Test
    void emptyFile() {
        assertEquals("file is empty (0 bytes)", error("empty.png", new byte[0]));
    }

    @Test
    void randomBytes() {
        byte[] noise = new byte[1000];
        new Random(42).nextBytes(noise);
        String reason = error("noise.png", noise);
        String firstByte = String.format("0x%02X", noise[0] & 0xFF);
        assertTrue(reason.startsWith("not a PNG, JPEG or TIFF file (starts with bytes " + firstByte), reason);
        assertFalse(reason.contains("text"), reason);
    }

    @Test
    void textFileRenamedPng() {
        String reason = error("notes.png", "hello, this is not an image\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("not a PNG, JPEG or TIFF file (starts with bytes 0x68 0x65 0x6C 0x6C 0x6F 0x2C 0x20 0x74);"
                + " it looks like a text file", reason);
    }

    @Test
    void gitLfsPointer() {
        String pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 12345\n";
        String reason = error("x.png", pointer.getBytes(StandardCharsets.US_ASCII));
        assertTrue(reason.endsWith("it is a Git LFS pointer, not the image: fetch the data with 'git lfs pull'"), reason);
    }

    @Test
    void bigTiffIsNamed() {
        byte[] header = {'I', 'I', 43, 0, 8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0};
        assertTrue(error("big.tif", header).startsWith("BigTIFF is not supported"));
    }

    @Test
    void pngCutInHalf() {
        byte[] png = TestImages.png(image(BufferedImage.TYPE_3BYTE_BGR, 40, 40, (x, y, b) -> (x * y * (b + 1)) % 256));
        String reason = error("half.png", Arrays.copyOf(png, png.length / 2));
        assertTrue(reason.startsWith("PNG is truncated or corrupt: "), reason);
        assertTrue(reason.length() > "PNG is truncated or corrupt: ".length() + 5, reason);
    }

    @Test
    void jpegCutInHalf() {
        // libjpeg would hand back a grey-filled image with only a warning; that must not pass as data.
        byte[] jpg = TestImages.jpeg(image(BufferedImage.TYPE_3BYTE_BGR, 64, 64, (x, y, b) -> (x * y * (b + 1)) % 256));
        String reason = error("half.jpg", Arrays.copyOf(jpg, jpg.length / 2));
        assertTrue(reason.startsWith("JPEG is truncated or corrupt: "), reason);
    }

    @Test
    void tiffStackCutShort() {
        TestImages.SampleFunction f = (x, y, page) -> (x * y + page * 7919) % 65536;
        byte[] tif = TestImages.tiff(pages(BufferedImage.TYPE_USHORT_GRAY, 3, f), "LZW");
        String reason = error("cut.tif", Arrays.copyOf(tif, tif.length * 2 / 3));
        assertTrue(reason.startsWith("TIFF") && reason.contains(" is truncated or corrupt: "), reason);
    }

    @Test
    void frameLargerThanTheLimitIsRefusedBeforeDecoding() {
        byte[] png = TestImages.png(image(BufferedImage.TYPE_BYTE_GRAY, 16, 16, (x, y, b) -> 1));
        DecodeResult r = new ImageDecoder(100).decode("big.png", png);
        assertFalse(r.isOk());
        assertTrue(r.error().startsWith("PNG is 16x16 pixels, more than the 100-pixel limit per frame"), r.error());
        assertTrue(new ImageDecoder(256).decode("ok.png", png).isOk());
    }

    @Test
    void damagedFilesNeverThrow() {
        List<byte[]> valid = List.of(
                TestImages.png(image(BufferedImage.TYPE_4BYTE_ABGR, 24, 24, RGB)),
                TestImages.png(image(BufferedImage.TYPE_USHORT_GRAY, 24, 24, (x, y, b) -> x * 2000 + y)),
                TestImages.jpeg(image(BufferedImage.TYPE_3BYTE_BGR, 24, 24, RGB)),
                TestImages.tiff(pages(BufferedImage.TYPE_USHORT_GRAY, 2, (x, y, p) -> x * y + p), "LZW"),
                TestImages.tiff(pages(BufferedImage.TYPE_BYTE_GRAY, 2, (x, y, p) -> x + y + p), null));
        Random random = new Random(7);
        int errors = 0;
        for (byte[] original : valid) {
            for (int trial = 0; trial < 300; trial++) {
                byte[] damaged = original.clone();
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
                if (random.nextBoolean()) damaged = Arrays.copyOf(damaged, 1 + random.nextInt(damaged.length));
                DecodeResult r = decoder.decode("damaged", damaged); // a throw fails the test
                if (!r.isOk()) {
                    errors++;
                    assertFalse(r.error().isBlank());
                }
            }
        }
        assertTrue(errors > 100, "damage should mostly be detected, was in " + errors + " of 1500 files");
    }
}
