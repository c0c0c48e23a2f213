package org.nucleispark.segment;

import java.io.Serializable;

/**
 * Which segmenter to build, where its model files are and how to serve it: small enough to ship to
 * executors, and the key of the per-JVM segmenter cache — so a JVM holds one copy of a model per
 * device its tasks were given.
 *
 * @param device the DJL device for its models ("gpu1"), or null for DJL's default ({@link GpuAssignment})
 */
public record SegmenterSpec(String model, String modelsDir, UNetOptions unet, String device) implements Serializable {
    public SegmenterSpec(String model, String modelsDir, UNetOptions unet) {
        this(model, modelsDir, unet, null);
    }

    public SegmenterSpec(String model, String modelsDir) {
        this(model, modelsDir, UNetOptions.defaults());
    }

    public SegmenterSpec onDevice(String newDevice) {
        return new SegmenterSpec(model, modelsDir, unet, newDevice);
    }
}
