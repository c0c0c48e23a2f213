package org.nucleispark.job;

import org.nucleispark.runtime.ExitCodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nucleispark.image.LabelImage;
import org.nucleispark.io.LabelPng;
import org.nucleispark.model.ModelFiles;

/** {@code segment --model maskrcnn} through the real CLI (Spark local mode) on two sample images. */
class MaskRcnnCliTest {
    private static final Path DSB = Paths.get("sample-data/dsb");
    private static final List<String> IDS = List.of(
            "b0d6dfcc95e4d087d232378f860fc3ef9f95ea5a4c26d623a0be091f820a793f",
            "1631352dbafb8a90f11219fffd3bea368a30bc3bad3bbe0e84e19bd720df4945");

    @TempDir
    Path tmp;

    @Test
    void segmentWithMaskRcnnWritesInstancesScoresAndLabelImages() throws IOException {
        Path in = tmp.resolve("in");
        for (String id : IDS) {
            Path dir = Files.createDirectories(in.resolve(id + "/images"));
            Files.copy(DSB.resolve(id + "/images/" + id + ".png"), dir.resolve(id + ".png"));
        }
        Path out = tmp.resolve("out");
        assertEquals(ExitCodes.OK, Main.run("segment", "--model", "maskrcnn", "--input", in.toString(),
                "--output", out.toString(), "--labels", "--master", "local[1]"));
        String shippedSha = ModelFiles.resolve("models", "maskrcnn", new Configuration()).metadata().sha256();
        SparkSession spark = SparkSession.builder().master("local[1]").appName("maskrcnn-cli-check").getOrCreate();
        try {
            List<Row> images = spark.read().parquet(out.resolve("images").toString()).collectAsList();
            assertEquals(2, images.size());
            for (Row r : images) {
                String error = r.getAs("error");
                assertEquals("ok", r.getAs("status"), error);
                assertEquals("maskrcnn", r.getAs("model"));
                String version = r.getAs("model_version");
                assertTrue(version.startsWith(shippedSha.substring(0, 12) + "-"), version + " is the shipped model's");
                assertTrue(r.<Integer>getAs("n_nuclei") >= 10, "nuclei found: " + r.getAs("n_nuclei"));
            }
            List<Row> inst = spark.read().parquet(out.resolve("instances").toString())
                    .where("image_id = '" + IDS.get(0) + "'").collectAsList();
            LabelImage labels = LabelPng.read(Files.readAllBytes(out.resolve("labels/" + IDS.get(0) + ".png")));
            assertEquals(labels.maxLabel(), inst.size());
            for (Row r : inst) {
                double score = r.getAs("score");
                assertTrue(score >= 0.8 && score <= 1.0, "the detection score: " + score);
            }
        } finally {
            spark.stop();
        }
    }
}
