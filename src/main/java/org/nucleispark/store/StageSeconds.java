package org.nucleispark.store;

/**
 * Where one image's (or frame's) time went before its rows are built, in seconds of its task thread:
 * reading the bytes from storage, decoding them, model inference, the segmenter's CPU work around it
 * (normalisation and tiling before, watershed / mask splitting / NMS after: "post-processing"),
 * measuring shapes and run-length encoding. (Building rows and the label PNG is timed in
 * {@link ResultRows}.) For a multi-page file, reading and decoding happen once for all pages and are
 * shared out evenly among its frames.
 */
public record StageSeconds(double read, double decode, double inference, double postprocess, double measure) {
    static final StageSeconds NONE = new StageSeconds(0, 0, 0, 0, 0);
}
