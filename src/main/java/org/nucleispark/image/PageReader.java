package org.nucleispark.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/** Reads every page of a PNG, JPEG or TIFF held in memory through javax.imageio. */
final class PageReader {
    private PageReader() {}

    static List<Image> readAll(ImageFormat format, byte[] bytes, long maxPixels) throws DecodeFailure {
        ImageReader reader = readerFor(format);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        // A MemoryCacheImageInputStream, not ImageIO.createImageInputStream: with ImageIO's default
        // useCache=true the latter spills to temp files, which is slow and can fail on executors.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, false, true);
            int pages = pageCount(reader, format, bytes);
            List<Image> images = new ArrayList<>(pages);
            for (int page = 0; page < pages; page++) {
                BufferedImage img = readPage(reader, format, page, pages, maxPixels);
                // The JDK JPEG reader (libjpeg) returns a truncated or damaged image padded out and only
                // warns, so a warning is the only sign that the pixels are not the file's.
                if (format == ImageFormat.JPEG && !warnings.isEmpty()) {
                    throw new DecodeFailure(where(format, page, pages) + " is truncated or corrupt: "
                            + String.join("; ", warnings));
                }
                images.add(PlaneExtractor.extract(img, format == ImageFormat.PNG));
            }
            return images;
        } catch (IOException closeFailure) {
            // Only close() reaches here, and closing an in-memory stream does not fail in practice.
            throw new DecodeFailure(format + " could not be read: " + describe(closeFailure));
        } finally {
            reader.dispose();
        }
    }

    static ImageReader readerFor(ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            // The JDK has shipped PNG, JPEG and (since 9) TIFF readers; their absence is a broken runtime.
            throw new IllegalStateException("no javax.imageio reader for " + format + " in this JVM");
        }
        return readers.next();
    }

    private static int pageCount(ImageReader reader, ImageFormat format, byte[] bytes) throws DecodeFailure {
        if (format != ImageFormat.TIFF) return 1; // an animated PNG's extra frames are not microscopy
        int directories = TiffDirectoryChain.check(bytes);
        int pages;
        try {
            pages = reader.getNumImages(true);
        } catch (IOException | RuntimeException e) {
            throw failure(format, 0, directories, e);
        }
        if (pages != directories) {
            throw new DecodeFailure("TIFF is corrupt: it has " + directories + " page directories, of which the JDK's"
                    + " reader finds " + pages);
        }
        return pages;
    }

    private static BufferedImage readPage(ImageReader reader, ImageFormat format, int page, int pages,
                                          long maxPixels) throws DecodeFailure {
        // JDK readers answer some malformed inputs with unchecked exceptions (index out of bounds,
        // negative sizes, ...) rather than IIOException; both mean the file is bad, not the code.
        try {
            long w = reader.getWidth(page);
            long h = reader.getHeight(page);
            // Checked before decoding so that a header claiming an enormous size cannot exhaust the
            // executor's heap: an OutOfMemoryError would take down every task in the JVM.
            if (w * h > maxPixels) {
                throw new DecodeFailure(where(format, page, pages) + " is " + w + "x" + h + " pixels, more than the "
                        + maxPixels + "-pixel limit per frame; split it into tiles or raise the limit");
            }
            return reader.read(page);
        } catch (IOException | RuntimeException e) {
            throw failure(format, page, pages, e);
        }
    }

    private static DecodeFailure failure(ImageFormat format, int page, int pages, Exception e) {
        String cause = describe(e);
        String what = cause.toLowerCase(Locale.ROOT).contains("unsupported")
                ? " uses a feature the JDK's reader does not support: "
                : " is truncated or corrupt: ";
        return new DecodeFailure(where(format, page, pages) + what + cause);
    }

    private static String where(ImageFormat format, int page, int pages) {
        return pages > 1 ? format + " page " + (page + 1) + " of " + pages : format.toString();
    }

    /** The cause chain as one line; readers often wrap the telling exception (an EOF) in a vague one. */
    static String describe(Throwable e) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth < 5; t = t.getCause(), depth++) {
            String part = t.getMessage();
            if (part == null || part.isBlank()) {
                part = t instanceof EOFException ? "unexpected end of file" : t.getClass().getSimpleName();
            } else if (!(t instanceof IOException)) {
                // An unchecked exception's message alone ("Index 7 out of bounds") says too little.
                part = t.getClass().getSimpleName() + ": " + part;
            }
            if (out.indexOf(part) >= 0) continue;
            if (out.length() > 0) out.append(": ");
            out.append(part);
        }
        return out.toString();
    }
}
