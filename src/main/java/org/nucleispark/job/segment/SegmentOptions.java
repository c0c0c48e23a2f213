package org.nucleispark.job.segment;

import java.io.Serializable;
import java.util.Map;
import org.nucleispark.segment.BlockOptions;
import org.nucleispark.segment.UNetOptions;

/**
 * The segment command's settings, parsed once at the edge and passed down unchanged.
 *
 * @param partitions 0 = choose from the input count and the cluster's parallelism
 * @param sparkConf  extra Spark settings ({@code --conf}); {@code spark.hadoop.*} ones reach Hadoop (S3)
 * @param manifest   CSV/Parquet naming the files and their experiment/well/field/frame, or null
 * @param pattern    path template such as {@code {experiment}/{well}_{field}_t{frame}.tif}, or null
 * @param runs       what an incremental run skips, and how inputs are identified
 * @param faults     test-only fault injection ({@link FaultInjection#NONE} in real runs)
 * @param arguments  the command line as given, recorded in the run ledger
 * @param blocks     when and how large images are segmented block by block
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
        String pattern,
        Incremental runs,
        FaultInjection faults,
        String arguments,
        BlockOptions blocks) implements Serializable {

    public SegmentOptions {
        sparkConf = sparkConf == null ? Map.of() : Map.copyOf(sparkConf);
        if (runs == null) runs = Incremental.FULL;
        if (faults == null) faults = FaultInjection.NONE;
        if (arguments == null) arguments = "";
        if (blocks == null) blocks = BlockOptions.DEFAULTS;
    }

    /**
     * @param incremental skip inputs already in the output with this model version and the same identity
     * @param reprocess   process every input even with {@code incremental} (a scheduler's fixed command line
     *                    plus one flag to redo everything)
     * @param retryFailed with {@code incremental}, process inputs whose current row is an error row again
     */
    public record Incremental(boolean incremental, boolean reprocess, boolean retryFailed, InputIdentity identity)
            implements Serializable {
        public static final Incremental FULL = new Incremental(false, false, false, InputIdentity.STAT);

        public Incremental {
            if (identity == null) identity = InputIdentity.STAT;
        }

        /** Whether this run consults the output at all. */
        boolean skipsDone() {
            return incremental && !reprocess;
        }
    }
}
