package org.nucleispark.image;

import java.io.Serializable;
import java.util.Objects;

/**
 * A decoded image: one float plane per channel, row-major, values in the source's own scale
 * (0..255 for 8-bit, 0..65535 for 16-bit) so that no information is lost before normalisation.
 */
public final class Image implements Serializable {
    private final int width;
    private final int height;
    private final float[][] planes;
    private final int bitDepth;

    public Image(int width, int height, float[][] planes, int bitDepth) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image must be non-empty, got " + width + "x" + height);
        }
        Objects.requireNonNull(planes, "planes");
        if (planes.length == 0) {
            throw new IllegalArgumentException("image needs at least one channel");
        }
        for (float[] p : planes) {
            if (p.length != width * height) {
                throw new IllegalArgumentException("plane size " + p.length + " != " + width + "*" + height);
            }
        }
        this.width = width;
        this.height = height;
        this.planes = planes;
        this.bitDepth = bitDepth;
    }

    public int width() { return width; }
    public int height() { return height; }
    public int channels() { return planes.length; }
    /** Bits per sample in the source file (8 or 16; 32 for float TIFFs). */
    public int bitDepth() { return bitDepth; }
    public float[] plane(int c) { return planes[c]; }
    public float get(int c, int x, int y) { return planes[c][y * width + x]; }
    public long pixelCount() { return (long) width * height; }
}
