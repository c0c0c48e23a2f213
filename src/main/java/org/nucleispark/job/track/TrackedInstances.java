package org.nucleispark.job.track;

import org.nucleispark.store.CurrentResults;

import org.nucleispark.runtime.SetupException;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * The current instances of a segment output as users should see them: every column of instances/
 * plus {@code track_id} and {@code track_version} (both null when the instance's model version was
 * never linked). The track is that of the latest committed tracking run of the instance's model
 * version (segment --track or track), from track_ids/.
 *
 * <p>Why track ids are not stored in instances/: instances rows are written by segment before
 * linking, and relinking (new parameters) must not rewrite them — the append-only ledger and the
 * current-rows rule (docs/reprocessing.md) rely on no run ever changing another run's rows. So the
 * column lives in track_ids/ (one row per instance per tracking), and this view joins it, as the
 * pandas recipe in docs/outputs.md does.
 */
public final class TrackedInstances {
    private TrackedInstances() {}

    /** Null when the output has no segment results. */
    public static Dataset<Row> of(SparkSession spark, String output) {
        Dataset<Row> instances = CurrentResults.of(spark, output).instances();
        if (instances == null) return null;
        Dataset<Row> ids = latestTracking(spark, output);
        if (ids == null) {
            return instances.withColumn("track_id", org.apache.spark.sql.functions.lit(null).cast("int"))
                    .withColumn("track_version", org.apache.spark.sql.functions.lit(null).cast("string"));
        }
        return instances.join(ids, scala.collection.JavaConverters.asScalaBuffer(List.of("image_id", "model_version", "instance_id")).toSeq(),
                "left");
    }

    /** Current track_ids of the latest tracking run per model version (image_id, model_version, instance_id, track_id, track_version). */
    public static Dataset<Row> latestTracking(SparkSession spark, String output) {
        Dataset<Row> ids = TrackJob.current(spark, output, "track_ids");
        if (ids == null) return null;
        return ids.withColumn("latest_tracking", max("run_id").over(Window.partitionBy("model_version")))
                .where(col("run_id").equalTo(col("latest_tracking")))
                .select("image_id", "model_version", "instance_id", "track_id", "track_version");
    }
}
