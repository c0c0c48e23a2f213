package org.nucleispark.job.evaluate;

import org.nucleispark.runtime.ExitCodes;
import org.nucleispark.runtime.Sessions;
import org.nucleispark.runtime.SetupException;
import org.nucleispark.store.CurrentResults;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.nucleispark.io.EvaluationSchemas;
import org.nucleispark.io.GroundTruthItem;
import org.nucleispark.io.GroundTruthLister;
import org.nucleispark.io.SerializableConfiguration;
import org.nucleispark.metrics.DatasetMetrics;
import org.nucleispark.metrics.DsbMetric;
import org.nucleispark.metrics.ImageEvaluation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;

/**
 * The evaluate command. Every ground-truth image is scored; one with no usable prediction counts as
 * an empty prediction (score 0 when it has nuclei), so a segment run that silently dropped images
 * cannot look better than it is.
 */
public final class EvaluateJob {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);
    private static final Gson METRICS_JSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();
    private static final StructType GROUND_TRUTH = createStructType(List.of(
            createStructField("image_id", StringType, false),
            createStructField("mask_paths", createArrayType(StringType, false), false),
            createStructField("label_path", StringType, true)));

    private final String predictions;
    private final String groundTruth;
    private final String output;
    private final String master;
    private final String modelVersion;

    public EvaluateJob(EvaluateOptions options) {
        this.predictions = options.predictions();
        this.groundTruth = options.groundTruth();
        this.output = options.output();
        this.master = options.master();
        this.modelVersion = options.modelVersion();
    }

    public int run() {
        try (Sessions session = Sessions.open("nucleispark evaluate", master)) {
            SparkSession spark = session.spark();
            Configuration conf = spark.sparkContext().hadoopConfiguration();
            List<GroundTruthItem> truth = listTruth(groundTruth, conf);
            Dataset<Row> preds = readPredictions(spark);
            Dataset<Row> gt = groundTruthFrame(spark, truth);
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Dataset<Row> joined = gt.join(preds, gt.col("image_id").equalTo(preds.col("p_image_id")), "left")
                    .repartition(Math.max(1, Math.min(truth.size(), jsc.defaultParallelism() * 4)));
            // kept: the figures are collected, and the instance rows written from the same scoring pass
            JavaRDD<EvaluatePartition.Scored> scoredRdd = joined.javaRDD()
                    .mapPartitions(new EvaluatePartition(new SerializableConfiguration(conf)))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            List<EvaluatePartition.Scored> scored = scoredRdd.map(EvaluatePartition.Scored::withoutRows).collect();

            List<ImageEvaluation> evals = new ArrayList<>();
            int missing = 0;
            for (EvaluatePartition.Scored s : scored) {
                evals.add(s.evaluation());
                if (!"ok".equals(s.predictionStatus())) missing++;
            }
            evals.sort((a, b) -> a.imageId().compareTo(b.imageId()));
            DatasetMetrics metrics = DatasetMetrics.of(evals);
            writeJson(conf, withProvenance(metrics.toJson(), conf, scored));
            perImage(spark, scored).write().mode(SaveMode.Overwrite).parquet(output + "/per_image");
            spark.createDataFrame(scoredRdd.flatMap(s -> s.nuclei().iterator()), EvaluationSchemas.NUCLEI)
                    .write().mode(SaveMode.Overwrite).parquet(output + "/nuclei");
            spark.createDataFrame(scoredRdd.flatMap(s -> s.predictions().iterator()), EvaluationSchemas.PREDICTIONS)
                    .write().mode(SaveMode.Overwrite).parquet(output + "/predictions");
            scoredRdd.unpersist(false);
            long unmatched = preds.count() - (scored.size() - countMissing(scored));
            System.out.println(metrics.toTable());
            if (missing > 0) {
                LOG.warn("{} ground-truth images had no usable prediction and scored as empty", missing);
            }
            if (unmatched > 0) {
                LOG.warn("{} predicted images have no ground truth and were not scored", unmatched);
            }
            return ExitCodes.OK;
        }
    }

    /** Columns image_id, mask_paths, label_path: what {@link org.nucleispark.store.GroundTruthReader} reads on executors. */
    public static Dataset<Row> groundTruthFrame(SparkSession spark, List<GroundTruthItem> truth) {
        List<Row> gtRows = new ArrayList<>();
        for (GroundTruthItem g : truth) gtRows.add(RowFactory.create(g.imageId(), JavaConverters.asScalaBuffer(g.maskPaths()).toList(), g.labelPath()));
        return spark.createDataFrame(gtRows, GROUND_TRUTH);
    }

    private static long countMissing(List<EvaluatePartition.Scored> scored) {
        return scored.stream().filter(s -> "missing".equals(s.predictionStatus())).count();
    }

    public static List<GroundTruthItem> listTruth(String groundTruth, Configuration conf) {
        try {
            List<GroundTruthItem> truth = GroundTruthLister.list(groundTruth, conf);
            if (truth.isEmpty()) {
                throw new SetupException("no ground truth under " + groundTruth
                        + ": expected the DSB layout (<id>/masks/*.png) or label images (<image_id>.png)");
            }
            return truth;
        } catch (FileNotFoundException e) {
            throw new SetupException(e.getMessage() + "; check --ground-truth");
        } catch (IOException e) {
            throw new SetupException("cannot list ground truth " + groundTruth + ": " + e.getMessage());
        }
    }

    private Dataset<Row> readPredictions(SparkSession spark) {
        Dataset<Row> images;
        Dataset<Row> instances;
        try {
            CurrentResults current = CurrentResults.of(spark, predictions);
            images = current.images();
            instances = current.instances();
            if (images == null || instances == null) throw new IllegalStateException("no complete segment run found");
        } catch (SetupException e) {
            throw e;
        } catch (Exception e) {
            throw new SetupException("cannot read a segment output under " + predictions
                    + " (expected images/ and instances/ Parquet): " + e.getMessage());
        }
        List<String> versions = pickModelVersions(images);
        if (!versions.isEmpty()) {
            Object[] chosen = versions.toArray();
            images = images.where(col("model_version").isin(chosen));
            instances = instances.where(col("model_version").isin(chosen));
            if (versions.size() > 1) requireOneVersionPerImage(images);
        }
        // the ensemble records which member proposed each instance; outputs of single models (and
        // those written before the column existed) have none, and the image's model stands in
        Column source = Arrays.asList(instances.columns()).contains("source_model")
                ? col("source_model") : lit(null).cast(StringType);
        Dataset<Row> rles = instances.groupBy(col("image_id").as("i_image_id"))
                .agg(collect_list(struct(col("instance_id"), col("rle"), source.as("source_model"))).as("instances"));
        return images.select(col("image_id").as("p_image_id"), col("width"), col("height"), col("status"),
                        col("model"), col("model_version"))
                .join(rles, col("p_image_id").equalTo(col("i_image_id")), "left").drop("i_image_id");
    }

    /**
     * An output holds one set of rows per model version (runs with a new model write alongside), and
     * scoring two at once would count each image twice: score the ones asked for, or the latest run's.
     * Several versions are for cross-validation, where each fold's model segmented only its own
     * held-out images.
     */
    private List<String> pickModelVersions(Dataset<Row> images) {
        List<String> versions = new ArrayList<>();
        // outputs written before the run ledger have no run_id: any order will do, there is one version
        String runOrder = Arrays.asList(images.columns()).contains("run_id") ? "run_id" : "model_version";
        for (Row r : images.groupBy("model_version").agg(max(runOrder).as("last"))
                .orderBy(col("last").desc()).collectAsList()) {
            versions.add(r.getString(0));
        }
        if (modelVersion != null) {
            List<String> asked = modelVersions(modelVersion);
            for (String v : asked) {
                if (!versions.contains(v)) {
                    throw new SetupException("no results of model version " + v + " under " + predictions
                            + "; versions there: " + versions);
                }
            }
            return asked;
        }
        if (versions.size() > 1) {
            LOG.warn("{} holds model versions {}; scoring {} (the latest run's); choose with --model-version (a comma-separated "
                    + "list scores several, e.g. the fold models of a cross-validation)", predictions, versions, versions.get(0));
        }
        return versions.isEmpty() ? List.of() : List.of(versions.get(0));
    }

    /** "a, b,a" -> [a, b]: the versions named in --model-version, in order, without repeats. */
    public static List<String> modelVersions(String option) {
        List<String> out = new ArrayList<>();
        for (String v : option.split(",")) {
            String t = v.trim();
            if (!t.isEmpty() && !out.contains(t)) out.add(t);
        }
        if (out.isEmpty()) throw new SetupException("--model-version names no version");
        return out;
    }

    private void requireOneVersionPerImage(Dataset<Row> images) {
        List<Row> twice = images.groupBy("image_id").agg(countDistinct("model_version").as("n"))
                .where(col("n").gt(1)).limit(3).collectAsList();
        if (!twice.isEmpty()) {
            throw new SetupException("--model-version " + modelVersion + ": image " + twice.get(0).getString(0)
                    + " has results of more than one of these versions, so it would be scored twice; list "
                    + "versions that segmented disjoint images (one per cross-validation fold)");
        }
    }

    /**
     * metrics.json plus where its figures come from, for the report command: "predictions" and
     * "ground_truth" (qualified URIs, so they resolve from any working directory), "model" (the scored
     * images' model names, comma-joined) and "model_versions". Appended after the metric keys, which
     * stay as they were (a null metric, NaN, stays null).
     */
    private String withProvenance(String metricsJson, Configuration conf, List<EvaluatePartition.Scored> scored) {
        SortedSet<String> models = new TreeSet<>();
        SortedSet<String> versions = new TreeSet<>();
        for (EvaluatePartition.Scored s : scored) {
            if (s.model() != null) models.add(s.model());
            if (s.modelVersion() != null) versions.add(s.modelVersion());
        }
        JsonObject json = JsonParser.parseString(metricsJson).getAsJsonObject();
        json.addProperty("predictions", qualified(predictions, conf));
        json.addProperty("ground_truth", qualified(groundTruth, conf));
        json.addProperty("model", String.join(",", models));
        JsonArray versionList = new JsonArray();
        versions.forEach(versionList::add);
        json.add("model_versions", versionList);
        return METRICS_JSON.toJson(json) + "\n";
    }

    private static String qualified(String uri, Configuration conf) {
        try {
            Path p = new Path(uri);
            return p.getFileSystem(conf).makeQualified(p).toString();
        } catch (IOException e) {
            return uri;
        }
    }

    private void writeJson(Configuration conf, String json) {
        Path p = new Path(output + "/metrics.json");
        try (OutputStream out = p.getFileSystem(conf).create(p, true)) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SetupException("cannot write " + p + ": " + e.getMessage());
        }
    }

    private static Dataset<Row> perImage(SparkSession spark, List<EvaluatePartition.Scored> scored) {
        List<StructField> fields = new ArrayList<>(List.of(
                createStructField("image_id", StringType, false),
                createStructField("prediction_status", StringType, false),
                createStructField("n_true", IntegerType, false),
                createStructField("n_pred", IntegerType, false),
                createStructField("score", DoubleType, false)));
        for (String k : DsbMetric.thresholdKeys()) {
            fields.add(createStructField("ap_" + k.replace('.', '_'), DoubleType, false));
        }
        fields.addAll(List.of(
                createStructField("dice", DoubleType, false),
                createStructField("tp_at_0_7", IntegerType, false),
                createStructField("fp_at_0_7", IntegerType, false),
                createStructField("fn_at_0_7", IntegerType, false),
                createStructField("oversegmentation", IntegerType, false),
                createStructField("undersegmentation", IntegerType, false),
                createStructField("matched_dice", DoubleType, true)));
        List<Row> rows = new ArrayList<>();
        for (EvaluatePartition.Scored s : scored) {
            ImageEvaluation e = s.evaluation();
            List<Object> v = new ArrayList<>(List.of(e.imageId(), s.predictionStatus(), e.nTrue(), e.nPred(), e.score()));
            for (double t : e.thresholdScores()) v.add(t);
            v.addAll(Arrays.asList(e.foregroundDice(), e.tpAt07(), e.fpAt07(), e.fnAt07(),
                    e.oversegmentation(), e.undersegmentation(),
                    e.matchedCount() == 0 ? null : e.matchedDiceSum() / e.matchedCount()));
            rows.add(RowFactory.create(v.toArray()));
        }
        return spark.createDataFrame(rows, createStructType(fields)).orderBy("image_id");
    }
}
