package org.nucleispark.job;

import org.nucleispark.runtime.ExitCodes;
import org.nucleispark.store.CurrentResults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ensemble's whole life on the sample data: both CNNs segment the labelled samples into one
 * output, train-ensemble fits and tunes the IoU regressor on them (tiny settings: 2 folds, few
 * trees), and segment --model ensemble serves the result. Small data, so the assertions are about
 * behaviour (files, columns, ranges, consistency), not about accuracy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnsembleEndToEndTest {
    private Path tmp;
    private Path models;
    private Path predictions;

    @BeforeAll
    void setUp() throws IOException {
        tmp = Files.createTempDirectory("nucleispark-ensemble");
        models = tmp.resolve("models");
        for (String m : List.of("unet", "maskrcnn")) FileUtils.copyDirectory(Paths.get("models", m).toFile(), models.resolve(m).toFile());
        predictions = tmp.resolve("oof");
        for (String m : List.of("unet", "maskrcnn")) {
            assertEquals(ExitCodes.OK, Main.run("segment", "--model", m, "--no-tta", "--models-dir", models.toString(),
                    "--input", "sample-data/dsb", "--output", predictions.toString(), "--master", "local[2]"));
        }
    }

    @AfterAll
    void tearDown() {
        FileUtils.deleteQuietly(tmp.toFile());
    }

    @Test
    void trainThenServe() throws IOException {
        Path ensemble = models.resolve("ensemble");
        Path oof = tmp.resolve("oof-ensemble");
        assertEquals(ExitCodes.OK, Main.run("train-ensemble", "--predictions", predictions.toString(), "--ground-truth",
                "sample-data/dsb", "--output", ensemble.toString(), "--folds", "2", "--max-iter", "4", "--seeds", "2",
                "--oof-output", oof.toString(), "--master", "local[2]"));
        JsonNode meta = new ObjectMapper().readTree(ensemble.resolve("model.json").toFile());
        assertEquals(9, meta.get("images").asInt());
        assertTrue(meta.get("candidates_by_model").get("unet").asInt() > 50);
        assertTrue(meta.get("candidates_by_model").get("maskrcnn").asInt() > 50);
        double spearman = meta.get("cross_validation").get("mean_of_variants").get("spearman").asDouble();
        assertTrue(spearman > 0.2, "predicted IoU must rank candidates better than chance: " + spearman);
        for (String member : List.of("unet", "maskrcnn", "ensemble")) {
            double m = meta.get("oof_mAP").get(member).asDouble();
            assertTrue(m > 0.2 && m < 1.0, member + " " + m);
        }
        // the members' figures come from overlap statistics; they must equal evaluate's metric
        SparkSession check = SparkSession.builder().master("local[1]").appName("ensemble-versions").getOrCreate();
        String unetVersion;
        try {
            unetVersion = CurrentResults.of(check, predictions.toString()).images().where("model = 'unet'").first().getAs("model_version");
        } finally {
            check.stop();
        }
        Path eval = tmp.resolve("eval-unet");
        assertEquals(ExitCodes.OK, Main.run("evaluate", "--predictions", predictions.toString(), "--ground-truth", "sample-data/dsb",
                "--output", eval.toString(), "--model-version", unetVersion, "--master", "local[2]"));
        double evaluated = new ObjectMapper().readTree(eval.resolve("metrics.json").toFile()).get("mAP").asDouble();
        assertEquals(evaluated, meta.get("oof_mAP").get("unet").asDouble(), 1e-4);
        // the out-of-fold ensemble output, painted as serving paints, scores as the tuning estimated
        // from overlap statistics (which let kept candidates keep the few pixels they share)
        Path oofEval = tmp.resolve("eval-oof-ensemble");
        assertEquals(ExitCodes.OK, Main.run("evaluate", "--predictions", oof.toString(), "--ground-truth", "sample-data/dsb",
                "--output", oofEval.toString(), "--master", "local[2]"));
        JsonNode oofMetrics = new ObjectMapper().readTree(oofEval.resolve("metrics.json").toFile());
        assertEquals(meta.get("oof_mAP").get("ensemble").asDouble(), oofMetrics.get("mAP").asDouble(), 0.01);
        assertEquals(9, oofMetrics.get("images").asInt());
        // and the report takes it like any segment output, with its member shares
        Path report = tmp.resolve("report");
        assertEquals(ExitCodes.OK, Main.run("report", "--evaluations", eval + "," + oofEval, "--output", report.toString(),
                "--master", "local[2]"));
        String html = Files.readString(report.resolve("index.html"));
        assertTrue(html.contains("maskrcnn") && html.contains("ensemble"), "both evaluations named on the page");
        assertTrue(Files.exists(ensemble.resolve("trees.json")));
        assertTrue(Files.isDirectory(ensemble.resolve("mllib/depth5_all/stages")), "MLlib persistence");
        assertTrue(Files.isDirectory(ensemble.resolve("mllib/depth5_all_seed1/stages")), "--seeds 2: each variant fitted twice");
        assertEquals(6, meta.get("variants").size(), "3 variants x 2 seeds");
        assertEquals(6, new ObjectMapper().readTree(ensemble.resolve("trees.json").toFile()).get("variants").size(),
                "every fit is served: the trees average all six");

        Path out = tmp.resolve("served");
        assertEquals(ExitCodes.OK, Main.run("segment", "--model", "ensemble", "--no-tta", "--models-dir", models.toString(),
                "--input", "sample-data/dsb", "--output", out.toString(), "--master", "local[2]"));
        SparkSession spark = SparkSession.builder().master("local[1]").appName("ensemble-check").getOrCreate();
        List<Row> images;
        List<Row> instances;
        try {
            images = CurrentResults.of(spark, out.toString()).images().collectAsList();
            instances = CurrentResults.of(spark, out.toString()).instances().collectAsList();
        } finally {
            spark.stop();
        }
        assertEquals(9, images.size());
        for (Row r : images) {
            assertEquals("ok", r.getAs("status"));
            assertEquals("ensemble", r.getAs("model"));
        }
        assertTrue(instances.size() > 100, "nuclei found: " + instances.size());
        double minIou = meta.get("selection").get("min_predicted_iou").asDouble();
        for (Row r : instances) {
            double predicted = r.getAs("predicted_iou");
            assertTrue(predicted >= minIou - 1e-9 && predicted < 1.5, "kept above the minimum predicted IoU: " + predicted);
            assertTrue(List.of("unet", "maskrcnn").contains(r.<String>getAs("source_model")), r.<String>getAs("source_model"));
        }

        // a tampered trees.json is refused before any image is read (by its sha256 in model.json; the
        // local file system's own .crc would catch this edit too, so it goes with the tampering)
        Files.writeString(ensemble.resolve("trees.json"), Files.readString(ensemble.resolve("trees.json")).replaceFirst("0\\.", "1."));
        Files.deleteIfExists(ensemble.resolve(".trees.json.crc"));
        assertEquals(ExitCodes.SETUP_ERROR, Main.run("segment", "--model", "ensemble", "--models-dir", models.toString(),
                "--input", "sample-data/dsb", "--output", tmp.resolve("refused").toString(), "--master", "local[2]"));
    }

    @Test
    void intensityFeaturesAreTrainedAndServedWhenAskedFor() throws IOException {
        Path dir = tmp.resolve("models-intensity");
        Files.createDirectories(dir);
        for (String m : List.of("unet", "maskrcnn")) Files.createSymbolicLink(dir.resolve(m), models.resolve(m).toAbsolutePath());
        Path ensemble = dir.resolve("ensemble");
        // the training output also holds a second Mask R-CNN version (another mask threshold): training
        // on all current results is refused, naming the versions trains on those
        Path mixed = tmp.resolve("oof-two-versions");
        FileUtils.copyDirectory(predictions.toFile(), mixed.toFile());
        Path variant = tmp.resolve("models-variant");
        FileUtils.copyDirectory(models.resolve("maskrcnn").toFile(), variant.resolve("maskrcnn").toFile());
        Path json = variant.resolve("maskrcnn/model.json");
        Files.writeString(json, Files.readString(json).replace("\"mask_threshold\": 0.5", "\"mask_threshold\": 0.6"));
        assertEquals(ExitCodes.OK, Main.run("segment", "--model", "maskrcnn", "--models-dir", variant.toString(),
                "--input", "sample-data/dsb", "--output", mixed.toString(), "--master", "local[2]"));
        List<String> versions = new java.util.ArrayList<>();
        SparkSession check = SparkSession.builder().master("local[1]").appName("ensemble-versions").getOrCreate();
        try {
            for (Row r : CurrentResults.of(check, predictions.toString()).images().select("model_version").distinct().collectAsList()) {
                versions.add(r.getString(0));
            }
        } finally {
            check.stop();
        }
        assertEquals(2, versions.size(), versions.toString());
        assertEquals(ExitCodes.SETUP_ERROR, Main.run("train-ensemble", "--predictions", mixed.toString(), "--ground-truth",
                "sample-data/dsb", "--output", ensemble.toString(), "--master", "local[2]"));
        assertEquals(ExitCodes.SETUP_ERROR, Main.run("train-ensemble", "--predictions", mixed.toString(), "--ground-truth",
                "sample-data/dsb", "--output", ensemble.toString(), "--model-version", "nosuchversion", "--master", "local[2]"));
        assertEquals(ExitCodes.OK, Main.run("train-ensemble", "--predictions", mixed.toString(), "--ground-truth",
                "sample-data/dsb", "--output", ensemble.toString(), "--folds", "2", "--max-iter", "2",
                "--model-version", String.join(",", versions), "--intensity-features", "--seeds", "1", "--master", "local[2]"));
        JsonNode meta = new ObjectMapper().readTree(ensemble.resolve("model.json").toFile());
        assertEquals(9, meta.get("images").asInt());
        assertEquals(2, meta.get("trained").get("model_versions").size());
        JsonNode features = meta.get("features");
        List<String> names = new java.util.ArrayList<>();
        features.forEach(n -> names.add(n.asText()));
        assertEquals(org.nucleispark.ensemble.CandidateFeatures.names(org.nucleispark.ensemble.FeatureSet.SCALE_FREE, true), names,
                "the default feature set, scale-free, and the intensity asked for");

        Path out = tmp.resolve("served-intensity");
        assertEquals(ExitCodes.OK, Main.run("segment", "--model", "ensemble", "--no-tta", "--models-dir", dir.toString(),
                "--input", "sample-data/dsb", "--output", out.toString(), "--master", "local[2]"));
        SparkSession spark = SparkSession.builder().master("local[1]").appName("ensemble-intensity").getOrCreate();
        try {
            assertEquals(9, CurrentResults.of(spark, out.toString()).images().where("status = 'ok'").count());
            assertTrue(CurrentResults.of(spark, out.toString()).instances().where("predicted_iou is not null").count() > 50);
        } finally {
            spark.stop();
        }
    }

    @Test
    void shippedEnsembleServesTheSamples() throws IOException {
        Path in = tmp.resolve("two");
        for (String id : List.of("44ab6a09eedee848b072ea3acd0f4e781f9c43b8d4e3d62598e102458",
                "fec226e45f49ab81ab71e0eaa1248ba09b56a328338dce93a43f4044e")) {
            try (var dirs = Files.list(Paths.get("sample-data/dsb"))) {
                Path d = dirs.filter(p -> p.getFileName().toString().startsWith(id)).findFirst().orElseThrow();
                FileUtils.copyDirectory(d.toFile(), in.resolve(d.getFileName().toString()).toFile());
            }
        }
        Path out = tmp.resolve("shipped");
        assertEquals(ExitCodes.OK, Main.run("segment", "--model", "ensemble", "--no-tta", "--input", in.toString(),
                "--output", out.toString(), "--master", "local[2]"));
        Path eval = tmp.resolve("shipped-eval");
        assertEquals(ExitCodes.OK, Main.run("evaluate", "--predictions", out.toString(), "--ground-truth", in.toString(),
                "--output", eval.toString(), "--master", "local[2]"));
        double map = new ObjectMapper().readTree(eval.resolve("metrics.json").toFile()).get("mAP").asDouble();
        // measured 0.53 over all 9 samples (unet 0.51, maskrcnn 0.43; 2026-12-07, third session); a broken selection scores far lower
        assertTrue(map > 0.35, "shipped ensemble on two samples: mAP " + map);
    }
}
