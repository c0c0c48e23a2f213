package org.nucleispark.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.DecodeResult;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.TestImages;

class LabelPngTest {
    /** 7x5, labels including 0, both byte boundaries, and the 16-bit maximum. */
    private static LabelImage sample() {
        int[] labels = new int[35];
        labels[1] = 1;
        labels[8] = 255;
        labels[9] = 256;
        labels[20] = 4097;
        labels[33] = 65535;
        labels[34] = 65534;
        return new LabelImage(7, 5, labels);
    }

    @Test
    void roundTripKeepsEveryLabel() throws IOException {
        LabelImage original = sample();
        LabelImage back = LabelPng.read(LabelPng.write(original));
        assertEquals(7, back.width());
        assertEquals(5, back.height());
        assertArrayEquals(original.labels(), back.labels());
        assertEquals(65535, back.get(5, 4));
    }

    @Test
    void writesPlainSixteenBitGreyscale() {
        byte[] png = LabelPng.write(sample());
        assertEquals(16, TestImages.pngBitDepth(png));
        assertEquals(0, TestImages.pngColourType(png));
        // Only critical chunks: no palette, gamma or colour profile that a viewer might apply.
        assertEquals(List.of("IHDR", "IDAT", "IEND"), chunkTypes(png).stream().distinct().toList());
    }

    @Test
    void opensAsSixteenBitGreyInImageIoAndTheDecoder() throws IOException {
        byte[] png = LabelPng.write(sample());
        // Fiji opens PNGs through ImageIO; TYPE_USHORT_GRAY becomes a 16-bit image there.
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(BufferedImage.TYPE_USHORT_GRAY, img.getType());
        DecodeResult r = new ImageDecoder().decode("labels.png", png);
        Image decoded = r.frames().get(0).image();
        assertEquals(16, decoded.bitDepth());
        assertEquals(1, decoded.channels());
        assertEquals(65535f, decoded.get(0, 5, 4));
    }

    @Test
    void labelsAboveSixteenBitsAreRejected() {
        int[] labels = new int[6];
        labels[4] = 65536;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabelPng.write(new LabelImage(3, 2, labels)));
        assertEquals("label 65536 at (1, 1) does not fit a 16-bit PNG, whose labels must be 0..65535", e.getMessage());
    }

    @Test
    void negativeLabelsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabelPng.write(new LabelImage(2, 1, new int[] {0, -1})));
        assertTrue(e.getMessage().startsWith("label -1 at (1, 0)"), e.getMessage());
    }

    @Test
    void readsEightBitGrey() throws IOException {
        byte[] png = TestImages.png(TestImages.image(BufferedImage.TYPE_BYTE_GRAY, 4, 3, (x, y, b) -> x + 4 * y));
        LabelImage labels = LabelPng.read(png);
        assertEquals(11, labels.get(3, 2));
        assertEquals(6, labels.get(2, 1));
        assertEquals(11, labels.maxLabel());
    }

    @Test
    void refusesNonLabelInput() {
        byte[] rgb = TestImages.png(TestImages.image(BufferedImage.TYPE_3BYTE_BGR, 4, 4, (x, y, b) -> 1));
        IOException colour = assertThrows(IOException.class, () -> LabelPng.read(rgb));
        assertEquals("a label PNG has one channel (grey or palette), this one has 3", colour.getMessage());

        IOException text = assertThrows(IOException.class, () -> LabelPng.read("1 2 3".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(text.getMessage().startsWith("not a PNG file"), text.getMessage());

        byte[] png = LabelPng.write(sample());
        IOException cut = assertThrows(IOException.class, () -> LabelPng.read(Arrays.copyOf(png, png.length / 2)));
        assertTrue(cut.getMessage().startsWith("PNG is truncated or corrupt: "), cut.getMessage());
    }

    private static List<String> chunkTypes(byte[] png) {
        List<String> types = new ArrayList<>();
        int at = 8;
        while (at + 8 <= png.length) {
            int length = (png[at] & 0xFF) << 24 | (png[at + 1] & 0xFF) << 16 | (png[at + 2] & 0xFF) << 8 | (png[at + 3] & 0xFF);
            types.add(new String(png, at + 4, 4, StandardCharsets.US_ASCII));
            at += 12 + length;
        }
        return types;
    }
}
