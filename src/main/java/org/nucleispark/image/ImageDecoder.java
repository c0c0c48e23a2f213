package org.nucleispark.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decodes PNG, JPEG and TIFF bytes into {@link Image}s, one per frame (TIFF pages are frames of a
 * time-lapse stack). The format is taken from the file's leading bytes, never from its name.
 *
 * <p>Bad input never throws: it comes back as a {@link DecodeResult} error whose reason a person can
 * act on. Only misuse (null arguments) and a JVM without the standard ImageIO readers throw.
 * Thread-safe: it holds no mutable state, and each call uses its own ImageIO reader.
 */
public final class ImageDecoder {
    /** 16384 x 16384: one float plane of this size is 1 GiB, already a lot for one executor task. */
    public static final long DEFAULT_MAX_PIXELS = 1L << 28;

    private final long maxPixels;

    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS);
    }

    /** @param maxPixels the largest width x height accepted per frame (at most {@link Integer#MAX_VALUE}, the array limit) */
    public ImageDecoder(long maxPixels) {
        if (maxPixels < 1 || maxPixels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxPixels must be in 1.." + Integer.MAX_VALUE + ", got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    /** @param name the file's name or path; carried into the result, not used to guess the format */
    public DecodeResult decode(String name, byte[] bytes) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) return DecodeResult.ofError(name, "file is empty (0 bytes)");
        Optional<ImageFormat> format = ImageFormat.detect(bytes);
        if (format.isEmpty()) return DecodeResult.ofError(name, UnrecognisedBytes.reason(bytes));
        try {
            List<Image> pages = PageReader.readAll(format.get(), bytes, maxPixels);
            List<DecodeResult.Frame> frames = new ArrayList<>(pages.size());
            for (int i = 0; i < pages.size(); i++) frames.add(new DecodeResult.Frame(i, pages.get(i)));
            return DecodeResult.ofFrames(name, frames);
        } catch (DecodeFailure f) {
            return DecodeResult.ofError(name, f.reason());
        }
    }
}
