package org.nucleispark.segment;

import java.io.Serializable;

/** Which segmenter to build and where its model files are: small enough to ship to executors. */
public record SegmenterSpec(String model, String modelsDir) implements Serializable {}
