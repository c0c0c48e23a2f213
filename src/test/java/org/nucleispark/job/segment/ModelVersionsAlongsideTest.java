package org.nucleispark.job.segment;

import org.nucleispark.job.Main;
import org.nucleispark.runtime.ExitCodes;
import org.nucleispark.store.CurrentResults;
import org.nucleispark.store.RunLedger;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Results of two model versions live side by side in one output, and evaluate scores the one asked
 * for. Only the classical model is available in every checkout, so the second version's run is
 * written the way SegmentJob writes a run (rows under run_id=, then the ledger row), from the first
 * run's rows with every other nucleus dropped — a worse model, whose score must differ.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelVersionsAlongsideTest {
    private static final List<String> DSB_IDS = List.of(
            "44ab6a09eedee848b072ea3acd0f4e781f9c43b8d4e3d62598e102458",
            "b0d6dfcc95e4d087d232378f860fc3ef9f95ea5a4c26d623a0be091f8",
            "fec226e45f49ab81ab71e0eaa1248ba09b56a328338dce93a43f4044e");
    private Path tmp;
    private SparkSession spark;

    @BeforeAll
    void start() throws IOException {
        tmp = Files.createTempDirectory("nucleispark-versions");
        spark = SparkSession.builder().master("local[2]").appName("versions-test").config("spark.ui.enabled", "false").getOrCreate();
    }

    @AfterAll
    void stop() {
        if (spark != null) spark.stop();
        FileUtils.deleteQuietly(tmp.toFile());
    }

    /** Three 256x256 DSB samples with their masks: inputs and ground truth in one folder. */
    private Path corpus() throws IOException {
        Path in = tmp.resolve("in");
        for (Path d : Files.list(Paths.get("sample-data/dsb")).toList()) {
            String name = d.getFileName().toString();
            if (DSB_IDS.stream().anyMatch(name::startsWith)) FileUtils.copyDirectory(d.toFile(), in.resolve(name).toFile());
        }
        assertEquals(3, Files.list(in).count());
        return in;
    }

    private double evaluate(Path out, String name, String... extra) throws IOException {
        Path eval = tmp.resolve(name);
        List<String> args = new java.util.ArrayList<>(List.of("evaluate", "--predictions", out.toString(),
                "--ground-truth", tmp.resolve("in").toString(), "--output", eval.toString()));
        args.addAll(List.of(extra));
        assertEquals(ExitCodes.OK, Main.run(args.toArray(String[]::new)));
        String json = Files.readString(eval.resolve("metrics.json"));
        assertTrue(json.contains("\"images\": 3"), json);
        return Double.parseDouble(json.replaceAll("(?s).*\"mAP\": ([0-9.]+).*", "$1"));
    }

    /** Appends these rows as another model version's run, the way SegmentJob writes one; returns the instance count. */
    private long writeVersion(Path out, Dataset<Row> images, Dataset<Row> instances, String version) {
        String run = RunLedger.newRunId(Instant.now());
        // collected before appending: never write a table from a lazy read of that same table
        List<Row> imageRows = images.withColumn("model_version", lit(version)).withColumn("run_id", lit(run)).collectAsList();
        List<Row> instanceRows = instances.withColumn("model_version", lit(version)).withColumn("run_id", lit(run)).collectAsList();
        spark.createDataFrame(imageRows, images.withColumn("run_id", lit(run)).schema()).write().mode(SaveMode.Append)
                .partitionBy("run_id").parquet(out + "/images");
        spark.createDataFrame(instanceRows, instances.withColumn("run_id", lit(run)).schema()).write().mode(SaveMode.Append)
                .partitionBy("run_id").parquet(out + "/instances");
        RunLedger.append(spark, out.toString(), new RunLedger.Entry(run, Instant.now(), Instant.now(), "test", version, version,
                imageRows.size(), 0, imageRows.size(), 0, instanceRows.size(), "unknown"));
        return instanceRows.size();
    }

    @Test
    void twoModelVersionsSitSideBySideAndEvaluatePicksOne() throws IOException {
        Path in = corpus();
        Path out = tmp.resolve("out");
        assertEquals(ExitCodes.OK, Main.run("segment", "--model", "classical", "--input", in.toString(), "--output", out.toString(), "--incremental"));
        CurrentResults first = CurrentResults.of(spark, out.toString());
        String v1 = first.images().first().getAs("model_version");
        double v1Score = evaluate(out, "eval-v1-only");

        long worseInstances = writeVersion(out, first.images(), first.instances().where(col("instance_id").mod(2).equalTo(1)), "worse-v2");

        CurrentResults both = CurrentResults.of(spark, out.toString());
        assertEquals(6, both.images().count(), "both versions' rows are current, side by side");
        assertEquals(first.instances().count() + worseInstances, both.instances().count());

        double latest = evaluate(out, "eval-latest");
        double v1Again = evaluate(out, "eval-v1", "--model-version", v1);
        double v2 = evaluate(out, "eval-v2", "--model-version", "worse-v2");
        assertEquals(v1Score, v1Again, 1e-12, "--model-version picks the first run's rows, unaffected by the second");
        assertEquals(v2, latest, 1e-12, "by default, the latest run's version");
        assertNotEquals(v1Score, v2, "half the nuclei missing must score differently");
        assertEquals(ExitCodes.SETUP_ERROR, Main.run("evaluate", "--predictions", out.toString(), "--ground-truth", in.toString(),
                "--output", tmp.resolve("eval-none").toString(), "--model-version", "no-such-version"));

        assertEquals(ExitCodes.SETUP_ERROR, Main.run("evaluate", "--predictions", out.toString(), "--ground-truth", in.toString(),
                "--output", tmp.resolve("eval-overlap").toString(), "--model-version", v1 + ",worse-v2"),
                "two versions that both segmented the same images would score them twice");

        // cross-validation: each fold's model segmented only its held-out images; scored together
        // they must give exactly the score of one model that produced the same rows
        String firstTwo = DSB_IDS.get(0) + "|" + DSB_IDS.get(1);
        Dataset<Row> v1Images = first.images().where(col("model_version").equalTo(v1));
        Dataset<Row> v1Instances = first.instances().where(col("model_version").equalTo(v1));
        writeVersion(out, v1Images.where(col("image_id").rlike(firstTwo)), v1Instances.where(col("image_id").rlike(firstTwo)), "fold-a");
        writeVersion(out, v1Images.where(col("image_id").rlike(firstTwo).unary_$bang()),
                v1Instances.where(col("image_id").rlike(firstTwo).unary_$bang()), "fold-b");
        assertEquals(v1Score, evaluate(out, "eval-folds", "--model-version", "fold-a, fold-b"), 1e-12);
        assertTrue(evaluate(out, "eval-fold-a", "--model-version", "fold-a") < v1Score,
                "one fold alone leaves the other fold's images unpredicted");

        // the classical model's inputs are still done: another version's rows do not count for it
        assertEquals(ExitCodes.OK, Main.run("segment", "--model", "classical", "--input", in.toString(), "--output", out.toString(), "--incremental"));
        Row last = spark.read().parquet(out + "/runs").orderBy(col("run_id").desc()).first();
        assertEquals(3L, last.<Long>getAs("skipped_done"));
        assertEquals(0L, last.<Long>getAs("processed_ok"));
    }
}
