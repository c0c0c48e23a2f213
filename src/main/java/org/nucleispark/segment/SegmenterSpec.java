package org.nucleispark.segment;

import java.io.Serializable;

/**
 * Which segmenter to build, where its model files are and how to serve it: small enough to ship to
 * executors, and the key of the per-JVM segmenter cache.
 */
public record SegmenterSpec(String model, String modelsDir, UNetOptions unet) implements Serializable {
    public SegmenterSpec(String model, String modelsDir) {
        this(model, modelsDir, UNetOptions.defaults());
    }
}
