package org.nucleispark.io;

import java.io.Serializable;
import java.util.List;

/**
 * Ground truth of one image: either DSB mask files (one PNG per nucleus) or one label image.
 * Exactly one of {@code maskPaths} (non-empty) and {@code labelPath} (non-null) is set.
 */
public record GroundTruthItem(String imageId, List<String> maskPaths, String labelPath) implements Serializable {}
