package org.nucleispark.job.track;

import org.nucleispark.store.CurrentResults;

import org.nucleispark.runtime.SetupException;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * {@code export --format ctc|instances|csv --output URI}, to a local folder or any Hadoop FileSystem
 * URI (s3a:, hdfs:, dbfs:, file:).
 *
 * <p>ctc: the latest tracking as CTC results ({@link CtcExport}). The TIFFs are painted on the driver
 * into a local staging folder and then copied file by file through Hadoop's FileSystem (straight into
 * the folder when it is local), so an object store sees whole files only.
 *
 * <p>instances (Parquet) and csv: the current instances with their {@code track_id} and
 * {@code track_version} ({@link TrackedInstances}; null when not tracked) joined with the frame and
 * sequence keys of their image — one flat per-nucleus table for pandas, R or a spreadsheet. csv
 * leaves out the mask (rle). Both replace what is at --output (an export is a copy, not a ledger).
 */
public final class ExportJob {
    public static final List<String> FORMATS = List.of("ctc", "instances", "csv");

    private ExportJob() {}

    /** @return what was written, for the one-line message */
    public static String export(SparkSession spark, String predictions, String format, String output) throws IOException {
        switch (format.toLowerCase(Locale.ROOT)) {
            case "ctc" -> {
                return ctc(spark, predictions, output) + " sequence(s)";
            }
            case "instances" -> {
                flatInstances(spark, predictions).write().mode(SaveMode.Overwrite).parquet(output);
                return "instances as Parquet";
            }
            case "csv" -> {
                flatInstances(spark, predictions).drop("rle").coalesce(1).write().mode(SaveMode.Overwrite)
                        .option("header", "true").csv(output);
                return "instances as CSV";
            }
            default -> throw new SetupException("unknown --format " + format + "; one of " + String.join(", ", FORMATS));
        }
    }

    /** Current instances + track_id + their image's frame and sequence keys, ordered for reading. */
    public static Dataset<Row> flatInstances(SparkSession spark, String predictions) {
        Dataset<Row> instances = TrackedInstances.of(spark, predictions);
        Dataset<Row> images = CurrentResults.of(spark, predictions).images();
        if (instances == null || images == null) throw new SetupException("no segment results under " + predictions);
        // experiment is in instances/ already when the corpus is partitioned by it
        List<String> keys = new java.util.ArrayList<>(List.of("path", "frame", "well", "field", "channel"));
        if (!List.of(instances.columns()).contains("experiment")) keys.add(0, "experiment");
        List<String> imageColumns = new java.util.ArrayList<>(List.of("image_id", "model_version", "run_id"));
        imageColumns.addAll(keys);
        return instances.join(images.selectExpr(imageColumns.toArray(String[]::new)),
                        scala.collection.JavaConverters.asScalaBuffer(List.of("image_id", "model_version", "run_id")).toSeq())
                .orderBy("model_version", "experiment", "well", "field", "channel", "frame", "image_id", "instance_id");
    }

    /** CTC result files into any Hadoop URI; returns the number of sequences. */
    static int ctc(SparkSession spark, String predictions, String output) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path target = new Path(output);
        FileSystem fs = target.getFileSystem(conf);
        if (fs instanceof LocalFileSystem local) {
            return CtcExport.export(spark, predictions, local.pathToFile(target).toPath());
        }
        java.nio.file.Path staging = Files.createTempDirectory("nucleispark-ctc");
        try {
            int n = CtcExport.export(spark, predictions, staging);
            try (Stream<java.nio.file.Path> files = Files.walk(staging)) {
                for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files.filter(Files::isRegularFile)::iterator) {
                    Path dst = new Path(target, staging.relativize(f).toString().replace(java.io.File.separatorChar, '/'));
                    fs.copyFromLocalFile(false, true, new Path(f.toUri()), dst);
                }
            }
            return n;
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(staging.toFile());
        }
    }
}
