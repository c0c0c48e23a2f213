package org.nucleispark.io;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * Parquet schemas of the job's tables (snake_case; every table carries image_id and model_version,
 * docs/architecture.md). Column meanings are documented in docs/outputs.md.
 */
public final class OutputSchemas {
    private OutputSchemas() {}

    public static final StructType IMAGES = createStructType(List.of(
            createStructField("image_id", StringType, false),
            createStructField("path", StringType, false),
            createStructField("frame", IntegerType, true),
            createStructField("width", IntegerType, true),
            createStructField("height", IntegerType, true),
            createStructField("channels", IntegerType, true),
            createStructField("bit_depth", IntegerType, true),
            createStructField("status", StringType, false),
            createStructField("error", StringType, true),
            createStructField("n_nuclei", IntegerType, true),
            createStructField("model", StringType, false),
            createStructField("model_version", StringType, false),
            createStructField("seconds", DoubleType, false),
            createStructField("file_size", LongType, false),
            createStructField("file_modified", LongType, false),
            // time-lapse corpora (manifest or --pattern); null when unknown. Appended so positions of
            // the columns above stay as they were.
            createStructField("experiment", StringType, true),
            createStructField("well", StringType, true),
            createStructField("field", StringType, true),
            createStructField("channel", StringType, true),
            // where the time went (seconds of the task thread; see docs/benchmarks.md)
            createStructField("seconds_read", DoubleType, true),
            createStructField("seconds_decode", DoubleType, true),
            createStructField("seconds_inference", DoubleType, true),
            createStructField("seconds_postprocess", DoubleType, true),
            createStructField("seconds_measure", DoubleType, true),
            createStructField("seconds_encode", DoubleType, true),
            // identity of the input's bytes with --identity hash (incremental runs); null otherwise
            createStructField("content_sha256", StringType, true)));

    /** One row per successfully segmented image or frame: the figures of a time-course plot. */
    public static final StructType SEQUENCES = createStructType(List.of(
            createStructField("image_id", StringType, false),
            createStructField("model", StringType, false),
            createStructField("model_version", StringType, false),
            createStructField("experiment", StringType, true),
            createStructField("well", StringType, true),
            createStructField("field", StringType, true),
            createStructField("channel", StringType, true),
            createStructField("frame", IntegerType, true),
            createStructField("n_nuclei", IntegerType, false),
            createStructField("mean_area", DoubleType, true),
            createStructField("median_area", DoubleType, true),
            createStructField("nuclear_area_fraction", DoubleType, true)));

    public static final StructType INSTANCES = createStructType(List.of(
            createStructField("image_id", StringType, false),
            createStructField("instance_id", IntegerType, false),
            createStructField("model", StringType, false),
            createStructField("model_version", StringType, false),
            createStructField("bbox_x0", IntegerType, false),
            createStructField("bbox_y0", IntegerType, false),
            createStructField("bbox_x1", IntegerType, false),
            createStructField("bbox_y1", IntegerType, false),
            createStructField("centroid_x", DoubleType, false),
            createStructField("centroid_y", DoubleType, false),
            createStructField("area", IntegerType, false),
            createStructField("perimeter", DoubleType, false),
            createStructField("equivalent_diameter", DoubleType, false),
            createStructField("major_axis_length", DoubleType, false),
            createStructField("minor_axis_length", DoubleType, false),
            createStructField("eccentricity", DoubleType, false),
            createStructField("orientation", DoubleType, false),
            createStructField("convex_area", IntegerType, false),
            createStructField("solidity", DoubleType, false),
            createStructField("extent", DoubleType, false),
            createStructField("score", DoubleType, true),
            createStructField("rle", StringType, false),
            // which model proposed the instance (an ensemble's member; else the model itself) and the
            // ensemble's predicted IoU with the true nucleus (null outside an ensemble). Appended, and
            // nullable, because outputs written before them hold rows without them.
            createStructField("source_model", StringType, true),
            createStructField("predicted_iou", DoubleType, true)));

    /** What one segment task emits per image: its row, its instances, its label PNG and its sequences/ row (or nulls). */
    public static final StructType SEGMENT_RESULT = createStructType(List.of(
            createStructField("image", IMAGES, false),
            createStructField("instances", createArrayType(INSTANCES, false), false),
            createStructField("label_png", BinaryType, true),
            createStructField("sequence", SEQUENCES, true)));
}
