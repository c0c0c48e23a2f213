package org.nucleispark.io;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/** Parquet schemas of evaluate's per-instance tables (docs/outputs.md, "Evaluation"). */
public final class EvaluationSchemas {
    private EvaluationSchemas() {}

    /** nuclei/: one row per ground-truth nucleus. */
    public static final StructType NUCLEI = createStructType(List.of(
            createStructField("image_id", StringType, false),
            createStructField("nucleus_id", IntegerType, false),
            createStructField("area", IntegerType, false),
            createStructField("eccentricity", DoubleType, false),
            createStructField("cluster_size", IntegerType, false),
            createStructField("best_iou", DoubleType, false),
            createStructField("matched_at_0_7", BooleanType, false)));

    /** predictions/: one row per predicted instance. */
    public static final StructType PREDICTIONS = createStructType(List.of(
            createStructField("image_id", StringType, false),
            createStructField("instance_id", IntegerType, false),
            createStructField("source_model", StringType, true),
            createStructField("best_iou", DoubleType, false),
            createStructField("matched_at_0_7", BooleanType, false)));
}
