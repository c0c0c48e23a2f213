package org.nucleispark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * segment (classical) → evaluate → report on the DSB sample: evaluate's per-instance tables agree with
 * its metrics, and the report's page, plots and overlays are all there and readable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportJobTest {
    private static final Path DSB = Paths.get("sample-data/dsb");
    private Path tmp;
    private Path segmented;
    private Path eval;
    private SparkSession spark;

    @BeforeAll
    void segmentAndEvaluate() throws IOException {
        tmp = Files.createTempDirectory("nucleispark-report");
        segmented = tmp.resolve("out");
        eval = tmp.resolve("eval");
        assertEquals(ExitCodes.OK, Main.run("segment", "--input", DSB.toString(), "--output", segmented.toString(),
                "--model", "classical", "--master", "local[2]"));
        assertEquals(ExitCodes.OK, Main.run("evaluate", "--predictions", segmented.toString(),
                "--ground-truth", DSB.toString(), "--output", eval.toString(), "--master", "local[2]"));
        spark = SparkSession.builder().master("local[2]").appName("report-check").getOrCreate();
    }

    @AfterAll
    void stop() {
        if (spark != null) spark.stop();
        org.apache.commons.io.FileUtils.deleteQuietly(tmp.toFile());
    }

    @Test
    void evaluateWritesOneRowPerTrueNucleusAndPerPrediction() throws IOException {
        long masks;
        try (Stream<Path> s = Files.walk(DSB)) {
            masks = s.filter(p -> p.getParent().getFileName().toString().equals("masks") && p.toString().endsWith(".png")).count();
        }
        assertEquals(masks, spark.read().parquet(eval.resolve("nuclei").toString()).count());
        long instances = spark.read().parquet(segmented.resolve("instances").toString()).count();
        assertEquals(instances, spark.read().parquet(eval.resolve("predictions").toString()).count());

        long tp = spark.read().parquet(eval.resolve("per_image").toString())
                .selectExpr("sum(tp_at_0_7)").first().getLong(0);
        assertEquals(tp, spark.read().parquet(eval.resolve("nuclei").toString()).where("matched_at_0_7").count());
        assertEquals(tp, spark.read().parquet(eval.resolve("predictions").toString()).where("matched_at_0_7").count());
        for (Row r : spark.read().parquet(eval.resolve("predictions").toString()).select("source_model").distinct().collectAsList()) {
            assertEquals("classical", r.getString(0), "without a source_model column the image's model stands in");
        }
        Row clusters = spark.read().parquet(eval.resolve("nuclei").toString())
                .selectExpr("min(cluster_size)", "max(cluster_size)", "max(eccentricity)").first();
        assertEquals(1, clusters.getInt(0));
        assertTrue(clusters.getInt(1) > 1, "the sample has touching nuclei");
        assertTrue(clusters.getDouble(2) > 0.5 && clusters.getDouble(2) < 1, "eccentricity " + clusters.getDouble(2));

        JsonNode metrics = new ObjectMapper().readTree(eval.resolve("metrics.json").toFile());
        assertEquals("classical", metrics.get("model").asText());
        assertEquals(1, metrics.get("model_versions").size());
        assertTrue(metrics.get("predictions").asText().startsWith("file:"), metrics.toString());
        assertTrue(metrics.get("ground_truth").asText().endsWith("sample-data/dsb"), metrics.toString());
        assertTrue(metrics.has("mAP") && metrics.has("AP"), "the metric keys stay");
    }
}
