package org.nucleispark.image;

/**
 * One image (or one page of a stack) that is read a part at a time rather than decoded whole: a
 * rectangle at full resolution, or the whole of it at reduced resolution. What block-by-block
 * segmentation needs of a large image; {@link RegionReader} implements it over javax.imageio.
 */
public interface ImageRegions {
    int width();

    int height();

    /** The pixels of [x, x+w) × [y, y+h) at full resolution. */
    Image read(int x, int y, int w, int h) throws RegionReadException;

    /**
     * The whole image with every {@code step}-th pixel in each direction (pixels 0, step, 2·step …),
     * where step is the smallest that keeps the sample within {@code maxPixels}.
     */
    Sample sample(long maxPixels) throws RegionReadException;

    /** A subsampled image and its step (1 = every pixel). */
    record Sample(Image image, int step) {}

    /** The smallest step s with ceil(w/s) · ceil(h/s) ≤ maxPixels. */
    static int subsamplingStep(int width, int height, long maxPixels) {
        int s = 1;
        while ((long) ((width + s - 1) / s) * ((height + s - 1) / s) > maxPixels) s++;
        return s;
    }
}
