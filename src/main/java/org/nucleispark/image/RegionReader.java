package org.nucleispark.image;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.util.Optional;

/**
 * Reads a PNG, JPEG or TIFF a region at a time through javax.imageio, from a seekable stream, so
 * that an image larger than the heap can be segmented: dimensions come from the header without
 * decoding pixels, and {@link ImageReadParam#setSourceRegion} / {@link ImageReadParam#setSourceSubsampling}
 * keep only the pixels asked for. A striped or tiled TIFF decodes only the strips or tiles the region
 * touches; a PNG (one zlib stream) decodes its rows from the top down to the region's last row each
 * time, keeping only the region. Not thread-safe: one reader per task.
 */
public final class RegionReader implements AutoCloseable {
    private final ImageReader reader;
    private final ImageFormat format;

    private RegionReader(ImageReader reader, ImageFormat format) {
        this.reader = reader;
        this.format = format;
    }

    /**
     * A reader over {@code in} (which the caller closes, after this reader), or null when javax.imageio
     * does not recognise the stream; the caller then falls back to whole-file decoding, whose error
     * says what is wrong.
     */
    public static RegionReader open(ImageInputStream in) throws IOException {
        byte[] head = new byte[8];
        in.seek(0);
        int n = in.read(head);
        in.seek(0);
        if (n < head.length) return null;
        Optional<ImageFormat> format = ImageFormat.detect(head);
        if (format.isEmpty()) return null;
        // the same reader as whole-file decoding (PageReader), so both paths see the same pixels
        ImageReader r = PageReader.readerFor(format.get());
        r.setInput(in, false, true);
        return new RegionReader(r, format.get());
    }

    /** Pages in the file: the TIFF's directories, 1 for PNG and JPEG. */
    public int pages() throws IOException {
        return format == ImageFormat.TIFF ? reader.getNumImages(true) : 1;
    }

    /** Width × height of page 0, from its header alone. */
    public long firstPagePixels() throws IOException {
        return (long) reader.getWidth(0) * reader.getHeight(0);
    }

    /** One page, read a region at a time. */
    public ImageRegions page(int page) throws RegionReadException {
        int w, h;
        try {
            w = reader.getWidth(page);
            h = reader.getHeight(page);
        } catch (IOException | RuntimeException e) {
            throw new RegionReadException(format + " page " + (page + 1) + " is truncated or corrupt: " + PageReader.describe(e));
        }
        return new ImageRegions() {
            @Override
            public int width() {
                return w;
            }

            @Override
            public int height() {
                return h;
            }

            @Override
            public Image read(int x, int y, int rw, int rh) throws RegionReadException {
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceRegion(new Rectangle(x, y, rw, rh));
                return decode(page, param, "region " + rw + "x" + rh + " at (" + x + ", " + y + ")");
            }

            @Override
            public Sample sample(long maxPixels) throws RegionReadException {
                int step = ImageRegions.subsamplingStep(w, h, maxPixels);
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                return new Sample(decode(page, param, "every " + step + "th pixel"), step);
            }
        };
    }

    private Image decode(int page, ImageReadParam param, String what) throws RegionReadException {
        try {
            BufferedImage img = reader.read(page, param);
            return PlaneExtractor.extract(img, format == ImageFormat.PNG);
        } catch (DecodeFailure f) {
            throw new RegionReadException(format + " page " + (page + 1) + ": " + f.reason());
        } catch (IOException | RuntimeException e) {
            throw new RegionReadException(format + " page " + (page + 1) + ", " + what + ", is truncated or corrupt: "
                    + PageReader.describe(e));
        }
    }

    @Override
    public void close() {
        reader.dispose();
    }
}
