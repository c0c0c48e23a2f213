package org.nucleispark.store;

import org.nucleispark.runtime.SetupException;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nucleispark.io.OutputSchemas;
import org.apache.spark.sql.AnalysisException;
import scala.collection.JavaConverters;

/**
 * The current results of a segment output, read from the history that runs leave behind.
 *
 * <p>Layout: every run appends its rows to images/, instances/ and sequences/ under its own
 * partition folder {@code run_id=<id>} (below {@code experiment=<e>} when the corpus has experiments),
 * and then its row to {@code runs/}. Why append instead of rewriting the tables: a run never deletes
 * or overwrites a file that another run committed, so a run killed at any point leaves the previous
 * output exactly as it was (no table is ever half-replaced, and no job reads files that it is
 * overwriting — Spark's Overwrite deletes the target before it has read its input), and appending
 * costs only the new rows, not a rewrite of the archive every night.
 *
 * <p>The rule, applied here and documented in docs/reprocessing.md for other readers: keep the rows of runs
 * listed in {@code runs/} (a run that crashed before its ledger row is not there), and for each
 * (path, model_version) only those of the latest such run. So reprocessing an input (changed file,
 * {@code --reprocess}, {@code --retry-failed}) supersedes its older rows, and a new model version's
 * rows sit alongside the old version's.
 */
public final class CurrentResults {
    private final SparkSession spark;
    private final String output;
    private final List<String> committedRuns;
    private final boolean legacy;

    private CurrentResults(SparkSession spark, String output, List<String> committedRuns, boolean legacy) {
        this.spark = spark;
        this.output = output;
        this.committedRuns = committedRuns;
        this.legacy = legacy;
    }

    public static CurrentResults of(SparkSession spark, String output) {
        return new CurrentResults(spark, output, RunLedger.committedRunIds(spark, output), isLegacy(spark, output));
    }

    /** Written before runs were recorded: plain tables that one run overwrote as a whole, without run_id folders. */
    boolean legacy() {
        return legacy;
    }

    List<String> committedRuns() {
        return committedRuns;
    }

    /** The current rows of images/ (with their run_id), or null when there are none yet. */
    public Dataset<Row> images() {
        Dataset<Row> all = read("images");
        if (all == null || legacy) return all;
        Dataset<Row> committed = all.where(col("run_id").isin(committedRuns.toArray()));
        return committed.withColumn("latest_run", max("run_id").over(Window.partitionBy("path", "model_version")))
                .where(col("run_id").equalTo(col("latest_run"))).drop("latest_run");
    }

    public Dataset<Row> instances() {
        return rowsOfCurrentImages("instances");
    }

    public Dataset<Row> sequences() {
        return rowsOfCurrentImages("sequences");
    }

    private Dataset<Row> rowsOfCurrentImages(String table) {
        Dataset<Row> all = read(table);
        if (all == null || legacy) return all;
        Dataset<Row> keys = images().select("image_id", "model_version", "run_id");
        return all.join(keys, JavaConverters.asScalaBuffer(List.of("image_id", "model_version", "run_id")).toSeq(), "left_semi");
    }

    private Dataset<Row> read(String table) {
        String dir = output + "/" + table;
        if (!RunLedger.exists(spark, dir)) return null;
        if (!legacy && committedRuns.isEmpty()) return null;
        try {
            // runs of older versions wrote fewer columns (instances/ before source_model, predicted_iou):
            // without merging, Spark takes the schema of whichever file it opens first and may drop
            // the newer columns of every row
            return spark.read().option("mergeSchema", "true").parquet(dir);
        } catch (Exception e) {
            // a table to which every run appended zero rows (e.g. instances/ when all inputs failed) has
            // no data file to infer a schema from: it reads as empty, with the schema it would have had
            if (!(e instanceof AnalysisException) || !String.valueOf(e.getMessage()).contains("infer schema")) throw e;
            return spark.createDataFrame(List.of(), emptySchema(table));
        }
    }

    private static StructType emptySchema(String table) {
        StructType schema = switch (table) {
            case "images" -> OutputSchemas.IMAGES;
            case "instances" -> OutputSchemas.INSTANCES;
            case "sequences" -> OutputSchemas.SEQUENCES;
            default -> throw new IllegalArgumentException(table);
        };
        return schema.add("run_id", DataTypes.StringType);
    }

    /** Parquet data files directly in images/ (or in its experiment=… folders): the pre-ledger layout. */
    public static boolean isLegacy(SparkSession spark, String output) {
        Path images = new Path(output + "/images");
        try {
            FileSystem fs = images.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(images)) return false;
            for (FileStatus s : fs.listStatus(images)) {
                String name = s.getPath().getName();
                if (s.isFile() && name.startsWith("part-")) return true;
                if (s.isDirectory() && name.startsWith("experiment=")) {
                    for (FileStatus t : fs.listStatus(s.getPath())) {
                        if (t.isFile() && t.getPath().getName().startsWith("part-")) return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            throw new SetupException("cannot read " + images + ": " + e.getMessage());
        }
    }
}
