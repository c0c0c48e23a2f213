package org.nucleispark.io;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.nucleispark.image.LabelImage;

/**
 * Label images as PNG bytes. Written as plain 16-bit greyscale (IHDR bit depth 16, colour type 0, no
 * palette or ancillary chunks), the form napari and Fiji open as a label layer / 16-bit image.
 */
public final class LabelPng {
    public static final int MAX_LABEL = 65535;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    private LabelPng() {}

    /** @throws IllegalArgumentException if a label is negative or above 65535 (16 bits) */
    public static byte[] write(LabelImage labels) {
        int w = labels.width();
        int h = labels.height();
        int[] values = labels.labels();
        for (int i = 0; i < values.length; i++) {
            int l = values[i];
            if (l < 0 || l > MAX_LABEL) {
                throw new IllegalArgumentException("label " + l + " at (" + (i % w) + ", " + (i / w) + ") does not fit"
                        + " a 16-bit PNG, whose labels must be 0.." + MAX_LABEL);
            }
        }
        // TYPE_USHORT_GRAY is what the JDK's PNG writer stores as 16-bit greyscale.
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSamples(0, 0, w, h, 0, values);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // A memory-cached stream: ImageIO's default cache would go through temp files.
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a PNG to memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a single-channel PNG (16- or 8-bit grey; a palette image's indices are taken as labels,
     * as in PIL's "P" mode label images).
     *
     * @throws IOException if the bytes are not such a PNG, with the reason
     */
    public static LabelImage read(byte[] png) throws IOException {
        if (png.length < SIGNATURE.length || !Arrays.equals(png, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new IOException("not a PNG file (" + png.length + " bytes without the PNG signature)");
        }
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        BufferedImage img;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(png))) {
            reader.setInput(in, true, true);
            img = reader.read(0);
        } catch (IOException | RuntimeException e) {
            // The JDK's PNG reader wraps the telling cause (often an EOFException) in a vague message,
            // and reports some malformed data with unchecked exceptions.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("PNG is truncated or corrupt: " + e.getMessage()
                    + (cause != e ? " (" + cause + ")" : ""), e);
        } finally {
            reader.dispose();
        }
        int bands = img.getRaster().getNumBands();
        if (bands != 1) {
            throw new IOException("a label PNG has one channel (grey or palette), this one has " + bands);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        // Raw samples, not getRGB: 16-bit labels must come back unchanged, palette indices unexpanded.
        return new LabelImage(w, h, img.getRaster().getSamples(0, 0, w, h, 0, (int[]) null));
    }
}
