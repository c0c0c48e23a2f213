package org.nucleispark.segment;

import java.io.Serializable;

/**
 * When and how a large image is segmented block by block instead of whole, so that memory is bounded
 * by these settings rather than by the image's size.
 *
 * @param thresholdPixels images (pages) with more pixels than this go block by block; smaller ones
 *                        are decoded whole, exactly as before (16 MP by default: a 4096² RGB image
 *                        is 200 MB of float planes, still comfortable for an executor task)
 * @param blockSize       side of each block's core, px: the block owns the nuclei whose centroid lies there
 * @param margin          context read around each core, px: at least the largest nucleus expected, so that
 *                        a nucleus cut by a core's edge lies whole in the block that owns it
 * @param samplePixels    the subsampled read for whole-image statistics holds at most this many pixels
 */
public record BlockOptions(long thresholdPixels, int blockSize, int margin, long samplePixels) implements Serializable {
    public static final BlockOptions DEFAULTS = new BlockOptions(4096L * 4096, 2048, 128, 4L * 1024 * 1024);

    public BlockOptions {
        if (thresholdPixels < 1) throw new IllegalArgumentException("block threshold must be at least 1 pixel, got " + thresholdPixels);
        if (blockSize < 64) throw new IllegalArgumentException("block size must be at least 64 px, got " + blockSize);
        if (margin < 0) throw new IllegalArgumentException("block margin must be >= 0 px, got " + margin);
        if (samplePixels < 1) throw new IllegalArgumentException("statistics sample must be at least 1 pixel, got " + samplePixels);
    }

    public boolean appliesTo(long pixels) {
        return pixels > thresholdPixels;
    }
}
