package org.nucleispark.job.report;

import org.nucleispark.runtime.SetupException;
import org.nucleispark.store.CurrentResults;
import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nucleispark.metrics.DsbMetric;
import java.io.Serializable;

/**
 * One evaluate output as the report reads it: metrics.json, and per_image/, nuclei/ and predictions/
 * where present (evaluations written before nuclei/ existed lack the last two; their sections say so).
 */
final class EvaluationRun {
    private final String uri;
    private final JsonNode metrics;
    private String name;

    private EvaluationRun(String uri, JsonNode metrics) {
        this.uri = uri;
        this.metrics = metrics;
    }

    static EvaluationRun read(String uri, Configuration conf) {
        Path p = new Path(uri, "metrics.json");
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return new EvaluationRun(uri, new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new SetupException("cannot read " + p + " (is " + uri + " an evaluate output?): " + e.getMessage());
        }
    }

    String uri() { return uri; }

    /** The report's name for it: unique among the evaluations shown (set by the report). */
    String name() { return name; }

    void name(String name) { this.name = name; }

    /** metrics.json's "model" (the scored images' model), else the folder's name. */
    String defaultName() {
        String model = text("model");
        return model != null && !model.isBlank() ? model : new Path(uri).getName();
    }

    /** A top-level number of metrics.json; NaN when absent or null. */
    double metric(String key) {
        JsonNode n = metrics.get(key);
        return n == null || !n.isNumber() ? Double.NaN : n.asDouble();
    }

    /** AP at IoU 0.50 … 0.95 (NaN where absent). */
    double[] ap() {
        double[] out = new double[DsbMetric.THRESHOLD_COUNT];
        JsonNode ap = metrics.path("AP");
        for (int i = 0; i < out.length; i++) {
            JsonNode v = ap.get(DsbMetric.thresholdKey(i));
            out[i] = v == null || !v.isNumber() ? Double.NaN : v.asDouble();
        }
        return out;
    }

    String predictions() { return text("predictions"); }

    String groundTruth() { return text("ground_truth"); }

    List<String> modelVersions() {
        List<String> out = new ArrayList<>();
        metrics.path("model_versions").forEach(v -> out.add(v.asText()));
        return out;
    }

    private String text(String key) {
        JsonNode n = metrics.get(key);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** per_image/, nuclei/ or predictions/; null when this evaluation has no such table. */
    Dataset<Row> table(SparkSession spark, String table) {
        Path p = new Path(uri, table);
        try {
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) return null;
        } catch (IOException e) {
            return null;
        }
        return spark.read().parquet(p.toString());
    }

    /** Where each scored image came from: image_id to (path, frame), from the evaluated segment output. */
    Map<String, ImageSource> imageSources(SparkSession spark) {
        Map<String, ImageSource> out = new HashMap<>();
        if (predictions() == null) return out;
        Dataset<Row> images = CurrentResults.of(spark, predictions()).images();
        if (images == null) return out;
        if (!modelVersions().isEmpty()) images = images.where(col("model_version").isin(modelVersions().toArray()));
        for (Row r : images.where(col("status").equalTo("ok")).select("image_id", "path", "frame").collectAsList()) {
            out.put(r.getString(0), new ImageSource(r.getString(1), r.isNullAt(2) ? 0 : r.getInt(2)));
        }
        return out;
    }

    /** An input image: its URI and page (0 for single images). */
    record ImageSource(String path, int frame) implements Serializable {}
}
