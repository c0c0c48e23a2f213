package org.nucleispark.job.report;

import org.nucleispark.job.Main;
import org.nucleispark.runtime.ExitCodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
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

    @Test
    void reportComparesTwoEvaluationsWithReadablePlotsAndFullSizeOverlays() throws IOException {
        // the second evaluation is of an "ensemble": a copy of the segment output whose instances name
        // the member model that proposed them, as the ensemble's instances/ do
        Path ensemble = tmp.resolve("ensemble-out");
        copyTree(segmented, ensemble);
        org.apache.commons.io.FileUtils.deleteDirectory(ensemble.resolve("instances").toFile());
        spark.read().parquet(segmented.resolve("instances").toString())
                .withColumn("source_model", org.apache.spark.sql.functions.expr("if(instance_id % 4 = 0, 'maskrcnn', 'unet')"))
                .write().partitionBy("run_id").parquet(ensemble.resolve("instances").toString());
        Path second = tmp.resolve("again/eval");
        assertEquals(ExitCodes.OK, Main.run("evaluate", "--predictions", ensemble.toString(),
                "--ground-truth", DSB.toString(), "--output", second.toString(), "--master", "local[2]"));
        long fromMaskRcnn = spark.read().parquet(second.resolve("predictions").toString()).where("source_model = 'maskrcnn'").count();
        assertEquals(spark.read().parquet(segmented.resolve("instances").toString()).where("instance_id % 4 = 0").count(),
                fromMaskRcnn, "evaluate keeps the instances' own source_model");
        Path report = tmp.resolve("report");
        assertEquals(ExitCodes.OK, Main.run("report", "--evaluations", eval + "," + second,
                "--output", report.toString(), "--master", "local[2]"));
        String html = Files.readString(report.resolve("index.html"));
        assertTrue(html.contains(">classical<") && html.contains(">classical (2)<"), "names made unique");

        List<String> referenced = new ArrayList<>();
        Matcher m = Pattern.compile("<img[^>]* src=\"([^\"]+)\" alt=\"([^\"]*)\"").matcher(html);
        int overlays = 0;
        while (m.find()) {
            String src = m.group(1);
            referenced.add(src);
            BufferedImage img = ImageIO.read(report.resolve(src).toFile());
            assertTrue(img != null, src + " decodes");
            if (src.startsWith("plots/")) assertTrue(img.getWidth() >= 800, src + " is " + img.getWidth() + " px wide");
            if (src.startsWith("overlays/")) {
                String id = m.group(2).replaceFirst("^(best|worst): ", "");
                BufferedImage original = ImageIO.read(DSB.resolve(id + "/images/" + id + ".png").toFile());
                assertEquals(original.getWidth(), img.getWidth(), src);
                assertEquals(original.getHeight(), img.getHeight(), src);
                overlays++;
            }
        }
        // 9 images: 3 best and 3 worst for each of the two evaluations
        assertEquals(12, overlays, referenced.toString());
        for (String plot : List.of("plots/ap_vs_iou.png", "plots/recall_by_area.png", "plots/recall_by_eccentricity.png",
                "plots/recall_by_cluster_size.png")) {
            assertTrue(referenced.contains(plot), plot + " in " + referenced);
        }
        assertTrue(referenced.stream().anyMatch(s -> s.startsWith("types/")), "image type thumbnails");
        try (Stream<Path> s = Files.walk(report)) {
            for (Path p : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".png"))::iterator) {
                assertTrue(referenced.contains(report.relativize(p).toString()), p + " is shown on the page");
            }
        }
        JsonNode metrics = new ObjectMapper().readTree(eval.resolve("metrics.json").toFile());
        String map = ReportJob.metric(metrics.get("mAP").asDouble());
        assertTrue(html.contains("<td>" + map + "</td>"), "summary shows mAP " + map);
        assertTrue(referenced.contains("plots/source_shares.png"), "the 'ensemble' has a sources plot");
        assertTrue(html.contains("instances: classical (2): maskrcnn "), "only the evaluation with two sources is in it");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }
}
