package org.nucleispark.store;

import org.nucleispark.runtime.SetupException;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * {@code runs/} under a segment output: one Parquet row per finished run, appended as the run's last
 * write. It is also the commit record of the run's rows in images/, instances/ and sequences/: those
 * tables are appended one after the other (Spark commits each write whole, but not several together),
 * so rows of a run without a ledger row — one that crashed between two writes — are ignored by
 * {@link CurrentResults}, and the next run does that work again.
 */
public final class RunLedger {
    static final String DIR = "runs";
    static final StructType SCHEMA = createStructType(List.of(
            createStructField("run_id", StringType, false),
            createStructField("started", TimestampType, false),
            createStructField("ended", TimestampType, false),
            createStructField("arguments", StringType, false),
            createStructField("model", StringType, false),
            createStructField("model_version", StringType, false),
            createStructField("inputs_seen", LongType, false),
            createStructField("skipped_done", LongType, false),
            createStructField("processed_ok", LongType, false),
            createStructField("failed", LongType, false),
            createStructField("nuclei", LongType, false),
            createStructField("git_commit", StringType, false)));

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    /** What one run did; counts of files (inputs_seen, skipped_done) and of image rows (processed_ok, failed). */
    public record Entry(String runId, Instant started, Instant ended, String arguments, String model, String modelVersion,
                 long inputsSeen, long skippedDone, long processedOk, long failed, long nuclei, String gitCommit) {
        Row toRow() {
            return RowFactory.create(runId, Timestamp.from(started), Timestamp.from(ended), arguments, model, modelVersion,
                    inputsSeen, skippedDone, processedOk, failed, nuclei, gitCommit);
        }
    }

    private RunLedger() {}

    /**
     * A new run id: UTC start time to the millisecond, so that ids sort in run order (the "latest run
     * wins" rule of {@link CurrentResults} compares them), plus a random suffix against two drivers
     * starting in the same millisecond. Starts with a letter so Spark's partition discovery keeps it a string.
     */
    public static String newRunId(Instant started) {
        return "r" + ID_TIME.format(started) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static void append(SparkSession spark, String output, Entry e) {
        spark.createDataFrame(List.of(e.toRow()), SCHEMA).coalesce(1)
                .write().mode(SaveMode.Append).parquet(output + "/" + DIR);
    }

    /** Ids of the runs that finished, oldest first; empty when the output has no ledger yet. */
    static List<String> committedRunIds(SparkSession spark, String output) {
        if (!exists(spark, output + "/" + DIR)) return List.of();
        List<String> ids = new ArrayList<>();
        for (Row r : spark.read().schema(SCHEMA).parquet(output + "/" + DIR).select("run_id").orderBy("run_id").collectAsList()) {
            ids.add(r.getString(0));
        }
        return ids;
    }

    public static boolean exists(SparkSession spark, String dir) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path p = new Path(dir);
        try {
            return p.getFileSystem(conf).exists(p);
        } catch (IOException e) {
            throw new SetupException("cannot read " + dir + ": " + e.getMessage());
        }
    }
}
