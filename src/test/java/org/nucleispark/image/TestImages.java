package org.nucleispark.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Synthesises image files with javax.imageio's own writers, and locates the sample data. */
public final class TestImages {
    public static final Path DSB = Path.of("sample-data/dsb");
    public static final String DSB_ID = "b0d6dfcc95e4d087d232378f860fc3ef9f95ea5a4c26d623a0be091f820a793f";
    public static final Path DSB_IMAGE = DSB.resolve(DSB_ID).resolve("images").resolve(DSB_ID + ".png");
    public static final Path DSB_MASKS = DSB.resolve(DSB_ID).resolve("masks");
    public static final Path DRIFT16 = Path.of("sample-data/timelapse/drift16.tif");

    private TestImages() {}

    public static byte[] png(BufferedImage img) { return write("png", List.of(img), null); }

    public static byte[] jpeg(BufferedImage img) { return write("jpeg", List.of(img), null); }

    /** A TIFF with one page per image; compression is an ImageIO TIFF type ("LZW", "Deflate") or null. */
    public static byte[] tiff(List<BufferedImage> pages, String compression) { return write("tiff", pages, compression); }

    private static byte[] write(String format, List<BufferedImage> pages, String compression) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (compression != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType(compression);
            }
            if (pages.size() == 1) {
                writer.write(null, new IIOImage(pages.get(0), null, null), param);
            } else {
                writer.prepareWriteSequence(null);
                for (BufferedImage page : pages) writer.writeToSequence(new IIOImage(page, null, null), param);
                writer.endWriteSequence();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** An image of the given standard type whose band b at (x, y) is f(x, y, b). */
    public static BufferedImage image(int type, int w, int h, SampleFunction f) {
        BufferedImage img = new BufferedImage(w, h, type);
        fill(img, f);
        return img;
    }

    /** Grey + alpha, which no standard BufferedImage type provides. */
    public static BufferedImage greyAlpha(int dataType, int w, int h, SampleFunction f) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, dataType);
        BufferedImage img = new BufferedImage(cm, cm.createCompatibleWritableRaster(w, h), false, null);
        fill(img, f);
        return img;
    }

    /** A one-band image with the given sample type (e.g. DataBuffer.TYPE_FLOAT, TYPE_SHORT). */
    public static BufferedImage grey(int dataType, int w, int h) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
                Transparency.OPAQUE, dataType);
        return new BufferedImage(cm, cm.createCompatibleWritableRaster(w, h), false, null);
    }

    private static void fill(BufferedImage img, SampleFunction f) {
        var raster = img.getRaster();
        for (int b = 0; b < raster.getNumBands(); b++) {
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) raster.setSample(x, y, b, f.at(x, y, b));
            }
        }
    }

    @FunctionalInterface
    public interface SampleFunction {
        int at(int x, int y, int band);
    }

    /** PNG IHDR fields straight from the bytes, to prove which PNG variant a test really wrote. */
    public static int pngBitDepth(byte[] png) { return png[24] & 0xFF; }

    public static int pngColourType(byte[] png) { return png[25] & 0xFF; }

    public static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
