package org.nucleispark.job.train;

import org.nucleispark.job.evaluate.EvaluateJob;
import org.nucleispark.runtime.ExitCodes;
import org.nucleispark.runtime.Sessions;
import org.nucleispark.runtime.SetupException;
import org.nucleispark.store.CurrentResults;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nucleispark.ensemble.CandidateFeatures;
import org.nucleispark.ensemble.EnsembleTrainer;
import org.nucleispark.ensemble.ImageCandidates;
import org.nucleispark.ensemble.SelectionGrid;
import org.nucleispark.io.GroundTruthItem;
import org.nucleispark.io.SerializableConfiguration;
import org.nucleispark.model.ModelFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The train-ensemble command: from a segment output holding both CNNs' out-of-fold instances over a
 * labelled set, builds one row per candidate (features, IoU with its best true nucleus), trains the
 * GBT variants with grouped cross-validation, tunes the selection and writes the model:
 * {@code mllib/<variant>/} (MLlib persistence), {@code trees.json} (the same trees, for executors)
 * and {@code model.json} (features, variants, figures, sha256 of trees.json).
 */
public final class TrainEnsembleJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainEnsembleJob.class);
    private final String predictions;
    private final String groundTruth;
    private final String output;
    private final String master;
    private final int maxIter;
    private final int folds;
    private final boolean intensity;
    private final List<String> features;
    private final List<String> versions;
    private final String oofOutput;
    private final int seeds;
    private final SelectionGrid selection;

    public TrainEnsembleJob(TrainEnsembleOptions options) {
        this.predictions = options.predictions();
        this.groundTruth = options.groundTruth();
        this.output = options.output();
        this.master = options.master();
        this.maxIter = options.maxIter();
        this.folds = options.folds();
        this.intensity = options.intensity();
        this.features = CandidateFeatures.names(options.features(), intensity);
        this.versions = options.versions();
        this.oofOutput = options.oofOutput();
        this.seeds = options.seeds();
        this.selection = options.selection();
    }

    public int run() {
        try (Sessions session = Sessions.open("nucleispark train-ensemble", master)) {
            SparkSession spark = session.spark();
            Configuration conf = spark.sparkContext().hadoopConfiguration();
            long t0 = System.nanoTime();
            List<GroundTruthItem> truth = EvaluateJob.listTruth(groundTruth, conf);
            Dataset<Row> joined = EvaluateJob.groundTruthFrame(spark, truth).join(candidateRows(spark), "image_id");
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<ImageCandidates> images = joined.repartition(Math.max(1, Math.min(truth.size(), jsc.defaultParallelism() * 4)))
                    .javaRDD().mapPartitions(new EnsembleTrainingPartition(new SerializableConfiguration(conf), intensity, features))
                    .collect();
            images = images.stream().sorted((a, b) -> a.imageId().compareTo(b.imageId())).toList();
            if (images.size() < folds * 2) {
                throw new SetupException("only " + images.size() + " labelled images have results of both unet and "
                        + "maskrcnn under " + predictions + "; segment the training set with both models first (docs/training.md)");
            }
            LOG.info("{} images, {} candidates; features in {} s", images.size(),
                    images.stream().mapToInt(i -> i.candidates().size()).sum(), String.format("%.0f", (System.nanoTime() - t0) / 1e9));

            List<EnsembleTrainer.Variant> variants = EnsembleTrainer.bagged(EnsembleTrainer.defaultVariants(maxIter), seeds);
            EnsembleTrainer.Result result = EnsembleTrainer.train(spark, images, features, variants, folds, 7L, selection);
            String trees = result.model().toJson();
            write(conf, output + "/trees.json", trees);
            for (int v = 0; v < variants.size(); v++) {
                result.mllibModels().get(v).write().overwrite().save(output + "/mllib/" + variants.get(v).name());
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("name", "ensemble");
            meta.put("file", "trees.json");
            meta.put("sha256", ModelFiles.sha256Hex(trees.getBytes(StandardCharsets.UTF_8)));
            meta.put("features", features);
            meta.put("members", EnsembleTrainingPartition.MODELS);
            meta.put("variants", variants);
            Map<String, Object> trained = new LinkedHashMap<>(Map.of("predictions", predictions, "ground_truth", groundTruth,
                    "at", Instant.now().toString(), "seconds", Math.round((System.nanoTime() - t0) / 1e9)));
            if (!versions.isEmpty()) trained.put("model_versions", versions);
            meta.put("trained", trained);
            meta.putAll(result.report());
            if (oofOutput != null) {
                // two columns of the join again (its instance lists pruned away), rather than keeping
                // every image's instances cached through the whole training for this
                Map<String, String> paths = new HashMap<>();
                for (Row r : joined.select("image_id", "path").collectAsList()) paths.put(r.getString(0), r.getString(1));
                String version = "oof-" + meta.get("sha256").toString().substring(0, 12);
                OofEnsembleOutput.write(spark, oofOutput, version, images, paths, result.oofPredicted(),
                        result.model().maxOverlap(), result.model().minPredictedIou());
                meta.put("oof_predictions", Map.of("output", oofOutput, "model_version", version));
                LOG.info("out-of-fold ensemble predictions in {} (model_version {}); score them with evaluate", oofOutput, version);
            }
            String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(meta);
            write(conf, output + "/model.json", json);
            System.out.println(json);
            return ExitCodes.OK;
        } catch (IOException e) {
            throw new SetupException("cannot write the ensemble model under " + output + ": " + e.getMessage());
        }
    }

    /**
     * image_id, width, height, instances: both models' current instances per image. An image with
     * two current versions of one model (two trainings segmented it) is refused: its candidates
     * would be counted twice.
     */
    private Dataset<Row> candidateRows(SparkSession spark) {
        CurrentResults current = CurrentResults.of(spark, predictions);
        if (current.images() == null || current.instances() == null) {
            throw new SetupException("no complete segment run under " + predictions);
        }
        Dataset<Row> images = current.images().where(col("model").isin(EnsembleTrainingPartition.MODELS.toArray())
                .and(col("status").equalTo("ok")));
        Dataset<Row> instances = current.instances();
        if (!versions.isEmpty()) {
            List<String> present = images.select("model_version").distinct().as(Encoders.STRING()).collectAsList();
            for (String v : versions) {
                if (!present.contains(v)) {
                    throw new SetupException("no unet or maskrcnn results of model version " + v + " under " + predictions
                            + "; versions there: " + present);
                }
            }
            images = images.where(col("model_version").isin(versions.toArray()));
            instances = instances.where(col("model_version").isin(versions.toArray()));
        }
        List<Row> twice = images.groupBy("image_id", "model").agg(count("*").as("n")).where(col("n").gt(1)).limit(1).collectAsList();
        if (!twice.isEmpty()) {
            throw new SetupException("image " + twice.get(0).getString(0) + " has more than one current result of model "
                    + twice.get(0).getString(1) + " under " + predictions + "; train on an output with one version per "
                    + "model and image (the fold models' out-of-fold runs), or name them with --model-version");
        }
        Dataset<Row> perImage = images.groupBy("image_id").agg(first("width").as("width"), first("height").as("height"),
                first("path").as("path"),
                collect_set("model").as("models")).where(size(col("models")).equalTo(EnsembleTrainingPartition.MODELS.size()));
        Dataset<Row> candidates = instances.where(col("model").isin(EnsembleTrainingPartition.MODELS.toArray()))
                .groupBy(col("image_id").as("i_image_id"))
                .agg(collect_list(struct(col("model"), col("instance_id"), col("rle"), col("score"))).as("instances"));
        return perImage.join(candidates, perImage.col("image_id").equalTo(candidates.col("i_image_id")), "left")
                .drop("i_image_id", "models");
    }

    private static void write(Configuration conf, String path, String text) throws IOException {
        Path p = new Path(path);
        try (OutputStream out = p.getFileSystem(conf).create(p, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
