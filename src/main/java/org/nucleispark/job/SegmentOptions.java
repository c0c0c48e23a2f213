package org.nucleispark.job;

import java.io.Serializable;
import org.nucleispark.segment.UNetOptions;

/**
 * The segment command's settings, parsed once at the edge and passed down unchanged.
 *
 * @param partitions 0 = choose from the input count and the cluster's parallelism
 */
public record SegmentOptions(
        String input,
        String output,
        String model,
        String modelsDir,
        boolean writeLabels,
        String master,
        int partitions,
        UNetOptions unet) implements Serializable {}
