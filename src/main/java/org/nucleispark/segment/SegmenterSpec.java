package org.nucleispark.segment;

import java.io.Serializable;

/**
 * Which segmenter to build, where its model files are and how to serve it: small enough to ship to
 * executors. The per-JVM segmenter cache keys on the model, the models dir, the device and only the
 * settings the model's {@link SegmenterFactory} reads from it — so a JVM holds one copy of a model per
 * device its tasks were given, whatever flags meant for other models say.
 *
 * @param model  a {@link SegmenterRegistry} key
 * @param unet   the U-Net serving flags of the command line (read by unet and by ensemble for its U-Net)
 * @param device the DJL device for its models ("gpu1"), or null for DJL's default ({@link GpuAssignment})
 */
public record SegmenterSpec(String model, String modelsDir, UNetOptions unet, String device) implements Serializable {
    public SegmenterSpec(String model, String modelsDir, UNetOptions unet) {
        this(model, modelsDir, unet, null);
    }

    public SegmenterSpec(String model, String modelsDir) {
        this(model, modelsDir, UNetOptions.defaults());
    }

    /** The U-Net serving flags, or their defaults when the spec carries none. */
    public UNetOptions unetOptions() {
        return unet == null ? UNetOptions.defaults() : unet;
    }

    public SegmenterSpec onDevice(String newDevice) {
        return new SegmenterSpec(model, modelsDir, unet, newDevice);
    }
}
