package org.nucleispark.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;

/**
 * Turns a decoded {@link BufferedImage} into an {@link Image} of float planes in the source's scale.
 *
 * <p>Samples are read from the Raster band by band rather than through {@code getRGB}, which would
 * squeeze 16-bit data into 8 bits and convert colour spaces. Alpha is left out: in microscopy it
 * carries no signal (DSB PNGs are RGBA with a constant alpha).
 */
final class PlaneExtractor {
    static final String SUPPORTED = "supported: 8- or 16-bit unsigned integer samples with 1 to 4 samples per"
            + " pixel (grey, grey+alpha, RGB, RGBA), or a colour palette";

    private PlaneExtractor() {}

    /**
     * @param allowLowBitPalette whether an indexed image with fewer than 8 bits per pixel is expanded
     *        through its colour table. PNG defines 1/2/4-bit grey and small palettes exactly that way;
     *        in TIFF the same model comes from bilevel (fax-style) images, which are not microscopy.
     */
    static Image extract(BufferedImage img, boolean allowLowBitPalette) throws DecodeFailure {
        SampleModel sm = img.getSampleModel();
        Raster raster = img.getRaster();
        int bands = raster.getNumBands();
        switch (sm.getDataType()) {
            case DataBuffer.TYPE_FLOAT, DataBuffer.TYPE_DOUBLE -> throw unsupported(
                    sm.getSampleSize(0) + "-bit floating-point samples (convert to 16-bit, e.g. in Fiji:"
                            + " Image > Type > 16-bit)");
            case DataBuffer.TYPE_SHORT -> throw unsupported("signed 16-bit integer samples");
            default -> { }
        }
        if (bands > 4) throw unsupported(bands + " samples per pixel");

        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            int bits = sm.getSampleSize(0);
            if (bits < 8 && !allowLowBitPalette) {
                throw unsupported(bits + "-bit samples" + (bits == 1 ? " (a bilevel image)" : ""));
            }
            return expandPalette(raster, icm);
        }

        int bits = sm.getSampleSize(0);
        for (int b = 0; b < bands; b++) {
            int size = sm.getSampleSize(b);
            if (size != bits) throw unsupported("samples of mixed sizes (" + bits + " and " + size + " bits)");
        }
        if (bits != 8 && bits != 16) throw unsupported(bits + "-bit samples");

        // Alpha is always the last band of the ComponentColorModel/DirectColorModel rasters ImageIO
        // returns, so the colour bands are the first getNumColorComponents().
        int colourBands = cm.getNumColorComponents();
        int w = raster.getWidth();
        int h = raster.getHeight();
        float[][] planes = new float[colourBands][];
        for (int c = 0; c < colourBands; c++) {
            // getSamples widens each sample as unsigned (DataBufferUShort), so 16-bit stays 0..65535.
            planes[c] = raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, c, (float[]) null);
        }
        return new Image(w, h, planes, bits);
    }

    /**
     * Palette entries are 8-bit colours. A palette whose entries are all grey (which is also how the
     * JDK's PNG reader represents 1/2/4-bit greyscale) gives one grey plane; otherwise RGB.
     */
    private static Image expandPalette(Raster raster, IndexColorModel icm) throws DecodeFailure {
        int size = icm.getMapSize();
        int[] r = new int[size];
        int[] g = new int[size];
        int[] b = new int[size];
        boolean grey = true;
        for (int i = 0; i < size; i++) {
            r[i] = icm.getRed(i);
            g[i] = icm.getGreen(i);
            b[i] = icm.getBlue(i);
            grey &= r[i] == g[i] && g[i] == b[i];
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] indices = raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, 0, (int[]) null);
        float[][] planes = new float[grey ? 1 : 3][indices.length];
        for (int p = 0; p < indices.length; p++) {
            int idx = indices[p];
            if (idx >= size) throw new DecodeFailure("palette index " + idx + " is outside the " + size + "-entry palette");
            planes[0][p] = r[idx];
            if (!grey) {
                planes[1][p] = g[idx];
                planes[2][p] = b[idx];
            }
        }
        return new Image(w, h, planes, 8);
    }

    private static DecodeFailure unsupported(String found) {
        return new DecodeFailure("unsupported sample format: " + found + "; " + SUPPORTED);
    }
}
