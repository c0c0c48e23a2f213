package org.nucleispark.job.track;

import org.apache.spark.sql.Column;

import org.nucleispark.runtime.ExitCodes;
import org.nucleispark.runtime.Sessions;
import org.nucleispark.runtime.SetupException;
import org.nucleispark.store.CurrentResults;
import org.nucleispark.store.RunLedger;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;
import org.nucleispark.track.Spot;
import org.nucleispark.track.Track;
import org.nucleispark.track.TrackOptions;
import org.nucleispark.track.Tracker;
import org.nucleispark.track.Tracking;
import scala.Tuple2;
import org.apache.spark.sql.Encoders;
import scala.collection.JavaConverters;

/**
 * {@code track --predictions URI}: links the current instances of a segment output per sequence
 * (model_version, experiment, well, field, channel), ordered by frame. Only the linking is per
 * sequence — it needs centroids and areas, not pixels, so segmentation stays spread over tasks.
 *
 * <p>Appends like segment runs do: {@code track_ids/} (track per instance) and {@code tracks/} under
 * {@code run_id=<id>}, then the run's row to {@code track_runs/} (a ledger of its own, so segment's
 * ledger keeps meaning "segment runs"). Current rows: committed tracking runs only, and per
 * (model_version, track_version) the latest one — relinking with the same parameters replaces the
 * previous rows with identical ones (idempotent), new parameters sit beside them.
 */
public final class TrackJob {
    static final StructType TRACK_IDS = createStructType(List.of(
            createStructField("image_id", StringType, false),
            createStructField("instance_id", IntegerType, false),
            createStructField("model_version", StringType, false),
            createStructField("track_version", StringType, false),
            createStructField("track_id", IntegerType, false)));
    static final StructType TRACKS = createStructType(List.of(
            createStructField("model_version", StringType, false),
            createStructField("track_version", StringType, false),
            createStructField("experiment", StringType, true),
            createStructField("well", StringType, true),
            createStructField("field", StringType, true),
            createStructField("channel", StringType, true),
            createStructField("track_id", IntegerType, false),
            createStructField("start_frame", IntegerType, false),
            createStructField("end_frame", IntegerType, false),
            createStructField("n_frames", IntegerType, false),
            createStructField("parent_track_id", IntegerType, true),
            createStructField("generation", IntegerType, false),
            createStructField("mean_speed", DoubleType, false),
            createStructField("net_displacement", DoubleType, false),
            createStructField("gap_count", IntegerType, false),
            createStructField("link_distance", DoubleType, false),
            // a multi-page file without sequence keys is a sequence of its own (its pages are its frames)
            createStructField("stack", StringType, true)));
    static final StructType RUNS = createStructType(List.of(
            createStructField("run_id", StringType, false),
            createStructField("track_version", StringType, false),
            createStructField("arguments", StringType, false),
            createStructField("tracks", IntegerType, false)));

    private final String predictions;
    private final TrackOptions options;
    private final String master;

    public TrackJob(String predictions, TrackOptions options, String master) {
        this.predictions = predictions;
        this.options = options;
        this.master = master;
    }

    public int run() {
        try (Sessions session = Sessions.open("nucleispark track", master)) {
            SparkSession spark = session.spark();
            int n = link(spark, predictions, options);
            System.out.printf("track: %d tracks, track_version %s%n", n, options.trackVersion());
            return ExitCodes.OK;
        }
    }

    public static int link(SparkSession spark, String output, TrackOptions options) {
        return link(spark, output, options, null);
    }

    /**
     * The path of a multi-page file whose pages have no sequence keys (experiment, well, field,
     * channel all null): such a stack is a sequence of its own, so that two stacks in one folder are
     * not linked into each other. Null otherwise. Needs image_id, path and the keys.
     */
    public static Column stack() {
        return org.apache.spark.sql.functions.when(col("experiment").isNull().and(col("well").isNull()).and(col("field").isNull())
                .and(col("channel").isNull()).and(col("image_id").contains("#")), col("path"));
    }

    /** @param modelVersion link only this version's instances (segment --track); null: every version */
    public static int link(SparkSession spark, String output, TrackOptions options, String modelVersion) {
        CurrentResults current = CurrentResults.of(spark, output);
        Dataset<Row> images = current.images();
        Dataset<Row> instances = current.instances();
        if (images == null || instances == null) throw new SetupException("no segment results under " + output);
        if (modelVersion != null) {
            images = images.where(col("model_version").equalTo(modelVersion));
            instances = instances.where(col("model_version").equalTo(modelVersion));
        }
        Dataset<Row> joined = instances.select("image_id", "model_version", "instance_id", "centroid_x", "centroid_y", "area")
                .join(images.where(col("frame").isNotNull())
                                .select(col("image_id"), col("model_version"), col("frame"), col("experiment"), col("well"), col("field"),
                                        col("channel"), stack().as("stack")),
                        JavaConverters.asScalaBuffer(List.of("image_id", "model_version")).toSeq());
        String runId = RunLedger.newRunId(Instant.now());
        String version = options.trackVersion();
        JavaRDD<Tuple2<List<Row>, List<Row>>> linked = joined.javaRDD()
                .mapToPair(r -> new Tuple2<>(Arrays.asList(r.getAs("model_version"), r.getAs("experiment"), r.getAs("well"),
                        r.getAs("field"), r.getAs("channel"), r.getAs("stack")), r))
                .groupByKey()
                .map(g -> linkSequence(g._1(), g._2(), options, version));
        linked.cache();
        Dataset<Row> ids = spark.createDataFrame(linked.flatMap(t -> t._1().iterator()), TRACK_IDS);
        Dataset<Row> tracks = spark.createDataFrame(linked.flatMap(t -> t._2().iterator()), TRACKS);
        ids.write().mode(SaveMode.Append).parquet(output + "/track_ids/run_id=" + runId);
        tracks.write().mode(SaveMode.Append).parquet(output + "/tracks/run_id=" + runId);
        int nTracks = (int) tracks.count();
        linked.unpersist();
        // the ledger row last: a run killed before it leaves no current rows
        spark.createDataFrame(List.of(RowFactory.create(runId, version, options.toString(), nTracks)), RUNS)
                .coalesce(1).write().mode(SaveMode.Append).parquet(output + "/track_runs");
        return nTracks;
    }

    static Tuple2<List<Row>, List<Row>> linkSequence(List<Object> key, Iterable<Row> rows, TrackOptions options, String version) {
        List<Row> list = new ArrayList<>();
        rows.forEach(list::add);
        // a stable order, so that the same instances give the same track ids whatever the shuffle did
        list.sort((a, b) -> {
            int c = Integer.compare(a.<Integer>getAs("frame"), b.<Integer>getAs("frame"));
            if (c != 0) return c;
            c = a.<String>getAs("image_id").compareTo(b.getAs("image_id"));
            return c != 0 ? c : Integer.compare(a.<Integer>getAs("instance_id"), b.<Integer>getAs("instance_id"));
        });
        List<Spot> spots = new ArrayList<>(list.size());
        for (Row r : list) {
            spots.add(new Spot(r.<Integer>getAs("frame"), r.<Double>getAs("centroid_x"), r.<Double>getAs("centroid_y"), r.<Integer>getAs("area")));
        }
        Tracking tracking = new Tracker(options).link(spots);
        List<Row> ids = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Row r = list.get(i);
            ids.add(RowFactory.create(r.getAs("image_id"), r.getAs("instance_id"), r.getAs("model_version"), version, tracking.trackOfSpot()[i]));
        }
        List<Row> tracks = new ArrayList<>();
        for (Track t : tracking.tracks()) {
            tracks.add(RowFactory.create(key.get(0), version, key.get(1), key.get(2), key.get(3), key.get(4), t.trackId(), t.startFrame(),
                    t.endFrame(), t.nFrames(), t.parentTrackId() == 0 ? null : t.parentTrackId(), t.generation(), t.meanSpeed(),
                    t.netDisplacement(), t.gapCount(), tracking.linkDistance(), key.get(5)));
        }
        return new Tuple2<>(ids, tracks);
    }

    /** Current rows of a tracking table (track_ids or tracks): committed runs, latest per (model_version, track_version). */
    public static Dataset<Row> current(SparkSession spark, String output, String table) {
        if (!RunLedger.exists(spark, output + "/track_runs")) return null;
        Object[] committed = spark.read().parquet(output + "/track_runs").select("run_id").as(Encoders.STRING())
                .collectAsList().toArray();
        // mergeSchema: tracks/ of older runs lack the stack column
        Dataset<Row> all = spark.read().option("mergeSchema", "true").parquet(output + "/" + table).where(col("run_id").isin(committed));
        return all.withColumn("latest_run", max("run_id").over(Window.partitionBy("model_version", "track_version")))
                .where(col("run_id").equalTo(col("latest_run"))).drop("latest_run");
    }
}
