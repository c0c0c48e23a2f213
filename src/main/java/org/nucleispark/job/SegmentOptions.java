package org.nucleispark.job;

import java.io.Serializable;
import java.util.Map;
import org.nucleispark.segment.UNetOptions;

/**
 * The segment command's settings, parsed once at the edge and passed down unchanged.
 *
 * @param partitions 0 = choose from the input count and the cluster's parallelism
 * @param sparkConf  extra Spark settings ({@code --conf}); {@code spark.hadoop.*} ones reach Hadoop (S3)
 * @param manifest   CSV/Parquet naming the files and their experiment/well/field/frame, or null
 * @param pattern    path template such as {@code {experiment}/{well}_{field}_t{frame}.tif}, or null
 */
public record SegmentOptions(
        String input,
        String output,
        String model,
        String modelsDir,
        boolean writeLabels,
        String master,
        int partitions,
        UNetOptions unet,
        Map<String, String> sparkConf,
        String manifest,
        String pattern) implements Serializable {

    public SegmentOptions {
        sparkConf = sparkConf == null ? Map.of() : Map.copyOf(sparkConf);
    }
}
