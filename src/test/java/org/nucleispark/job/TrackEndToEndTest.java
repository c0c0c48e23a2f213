package org.nucleispark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The synthetic sample (sample-data/tracking, 20 frames) segmented with the classical model, then linked twice. */
class TrackEndToEndTest {
    @Test
    void linksEveryInstanceAndRelinkingIsIdempotent() throws Exception {
        Path tmp = Files.createTempDirectory("nucleispark-track");
        Path input = tmp.resolve("in");
        Files.createDirectories(input);
        try (var files = Files.list(Path.of("sample-data/tracking"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().matches("t\\d{3}\\.tif")) Files.copy(p, input.resolve(p.getFileName()));
            }
        }
        String out = tmp.resolve("out").toString();
        assertEquals(0, Main.run("segment", "--model", "classical", "--input", input.toString(), "--pattern", "t{frame}.tif",
                "--output", out, "--master", "local[2]"));
        assertEquals(0, Main.run("track", "--predictions", out, "--master", "local[2]"));
        SparkSession spark = SparkSession.builder().master("local[2]").getOrCreate();
        long instances = CurrentResults.of(spark, out).instances().count();
        List<String> first = rows(TrackJob.current(spark, out, "track_ids").collectAsList());
        assertEquals(instances, first.size(), "every instance has a track");
        long tracks = TrackJob.current(spark, out, "tracks").count();
        // the ground truth has 13 CTC tracks; segmentation errors may add a few
        assertTrue(tracks >= 10 && tracks <= 30, "tracks: " + tracks);

        assertEquals(0, Main.run("track", "--predictions", out, "--master", "local[2]"));
        assertEquals(2, spark.read().parquet(out + "/track_runs").count());
        assertEquals(first, rows(TrackJob.current(spark, out, "track_ids").collectAsList()), "relinking gives the same current rows");
    }

    private static List<String> rows(List<Row> rows) {
        return rows.stream().map(r -> r.getAs("image_id") + "/" + r.getAs("instance_id") + "/" + r.getAs("track_version") + "=" + r.getAs("track_id"))
                .sorted().collect(Collectors.toList());
    }
}
