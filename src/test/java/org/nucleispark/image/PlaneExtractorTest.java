package org.nucleispark.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import org.junit.jupiter.api.Test;

/** Cases that ImageIO's writers cannot produce, built directly as BufferedImages. */
class PlaneExtractorTest {

    @Test
    void moreThanFourSamplesPerPixelIsUnsupported() throws Exception {
        ColorSpace fiveChannels = new ColorSpace(ColorSpace.TYPE_5CLR, 5) {
            @Override public float[] toRGB(float[] v) { return new float[3]; }
            @Override public float[] fromRGB(float[] v) { return new float[5]; }
            @Override public float[] toCIEXYZ(float[] v) { return new float[3]; }
            @Override public float[] fromCIEXYZ(float[] v) { return new float[5]; }
        };
        ComponentColorModel cm = new ComponentColorModel(fiveChannels, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        BufferedImage img = new BufferedImage(cm, cm.createCompatibleWritableRaster(4, 4), false, null);
        DecodeFailure f = assertThrows(DecodeFailure.class, () -> PlaneExtractor.extract(img, true));
        assertTrue(f.reason().startsWith("unsupported sample format: 5 samples per pixel;"), f.reason());
        assertTrue(f.reason().contains("1 to 4 samples per pixel"), f.reason());
    }

    @Test
    void packedArgbKeepsRgbOrderAndDropsAlpha() throws Exception {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00_0A_14_1E); // alpha 0
        img.setRGB(1, 0, 0xFF_C8_64_32);
        Image out = PlaneExtractor.extract(img, false);
        assertEquals(3, out.channels());
        assertEquals(8, out.bitDepth());
        assertEquals(10f, out.get(0, 0, 0));
        assertEquals(20f, out.get(1, 0, 0));
        assertEquals(30f, out.get(2, 0, 0));
        assertEquals(200f, out.get(0, 1, 0));
        assertEquals(50f, out.get(2, 1, 0));
    }

    @Test
    void greyPaletteGivesOneChannel() throws Exception {
        byte[] grey = {0, 60, (byte) 200};
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, grey, grey, grey));
        img.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {2, 0, 1});
        Image out = PlaneExtractor.extract(img, false);
        assertEquals(1, out.channels());
        assertEquals(200f, out.get(0, 0, 0));
        assertEquals(0f, out.get(0, 1, 0));
        assertEquals(60f, out.get(0, 2, 0));
    }

    @Test
    void lowBitPaletteOnlyWhenAllowed() throws Exception {
        BufferedImage img = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY);
        img.getRaster().setSamples(0, 0, 4, 1, 0, new int[] {1, 0, 0, 1});
        assertEquals(255f, PlaneExtractor.extract(img, true).get(0, 3, 0));
        DecodeFailure f = assertThrows(DecodeFailure.class, () -> PlaneExtractor.extract(img, false));
        assertTrue(f.reason().startsWith("unsupported sample format: 1-bit samples (a bilevel image)"), f.reason());
    }
}
