package org.nucleispark.job.segment;

import org.nucleispark.job.Main;
import org.nucleispark.runtime.ExitCodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nucleispark.io.InputFile;
import org.nucleispark.io.InputLister;
import org.nucleispark.io.Manifest;

/**
 * A small time-lapse corpus made of sample images: two PNG sequences and a 16-bit TIFF stack named in
 * a shuffled manifest (plus one file that does not exist), segmented through the CLI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeLapseEndToEndTest {
    private static final Path DSB = Paths.get("sample-data/dsb");
    private static final String[] IMAGES = {
            "44ab6a09eedee848b072ea3acd0f4e781f9c43b8d4e3d62598e1024584bf0b01",
            "b0d6dfcc95e4d087d232378f860fc3ef9f95ea5a4c26d623a0be091f820a793f",
            "fec226e45f49ab81ab71e0eaa1248ba09b56a328338dce93a43f4044eababed5"};
    private Path tmp;
    private Path input;
    private Path manifest;
    private Path output;
    private Path patternOutput;
    private int exit;
    private int patternExit;
    private SparkSession spark;

    @BeforeAll
    void run() throws IOException {
        tmp = Files.createTempDirectory("nucleispark-timelapse");
        input = tmp.resolve("in");
        for (int t = 0; t < 3; t++) copy(IMAGES[t], "expA/A01_1_t" + t + ".png");
        for (int t = 0; t < 2; t++) copy(IMAGES[2 - t], "expB/B02_2_t" + t + ".png");
        Files.copy(Paths.get("sample-data/timelapse/drift16.tif"), input.resolve("expA/C03_1_stack.tif"));
        manifest = tmp.resolve("manifest.csv");
        Files.writeString(manifest, String.join("\n",
                "path,experiment,well,field,frame",
                "expB/B02_2_t1.png,expB,B02,2,1",
                "expA/A01_1_t2.png,expA,A01,1,2",
                "expA/C03_1_stack.tif,expA,C03,1,10",
                "expA/A01_1_t0.png,expA,A01,1,0",
                "expB/B02_2_t0.png,expB,B02,2,0",
                "expB/B02_2_t2.png,expB,B02,2,2",
                "expA/A01_1_t1.png,expA,A01,1,1", ""));
        output = tmp.resolve("out");
        exit = Main.run("segment", "--model", "classical", "--input", input.toString(), "--manifest", manifest.toString(),
                "--output", output.toString(), "--master", "local[2]", "--partitions", "3");
        patternOutput = tmp.resolve("out-pattern");
        patternExit = Main.run("segment", "--model", "classical", "--input", input.toString(), "--pattern", "{experiment}/{well}_{field}_t{frame}.png",
                "--output", patternOutput.toString(), "--master", "local[2]");
        spark = SparkSession.builder().master("local[2]").appName("timelapse-check").getOrCreate();
    }

    private void copy(String dsbId, String rel) throws IOException {
        Path to = input.resolve(rel);
        Files.createDirectories(to.getParent());
        Files.copy(DSB.resolve(dsbId + "/images/" + dsbId + ".png"), to);
    }

    @AfterAll
    void stop() {
        if (spark != null) spark.stop();
        org.apache.commons.io.FileUtils.deleteQuietly(tmp.toFile());
    }

    private Map<String, Row> images(Path out) {
        return spark.read().parquet(out.resolve("images").toString()).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("image_id"), r -> r));
    }

    @Test
    void manifestFieldsReachImagesAndOutputsArePartitionedByExperiment() {
        assertEquals(ExitCodes.OK, exit);
        Map<String, Row> byId = images(output);
        assertEquals(9, byId.size(), byId.keySet().toString()); // 3 + 2 PNGs, 3 stack pages, 1 missing file
        Row a1 = byId.get("expA/A01_1_t1");
        assertEquals(List.of("expA", "A01", "1", 1), List.of(a1.getAs("experiment"), a1.getAs("well"), a1.getAs("field"), a1.getAs("frame")));
        assertNull(a1.getAs("channel"));
        for (int page = 0; page < 3; page++) {
            Row r = byId.get("expA/C03_1_stack#" + page);
            assertEquals(10 + page, (int) r.<Integer>getAs("frame"), "a stack's pages continue from its listed frame");
            assertEquals(16, (int) r.<Integer>getAs("bit_depth"));
            assertEquals("C03", r.getAs("well"));
        }
        Row missing = byId.get("expB/B02_2_t2");
        assertEquals("error", missing.getAs("status"));
        String reason = missing.getAs("error");
        assertTrue(reason.contains("manifest"), reason);
        for (String table : List.of("images", "instances", "sequences")) {
            for (String exp : List.of("expA", "expB")) {
                assertTrue(Files.isDirectory(output.resolve(table).resolve("experiment=" + exp)), table + " partitioned by " + exp);
            }
        }
    }

    @Test
    void stageTimesAccountForTheImagesSeconds() {
        for (Row r : images(output).values()) {
            if (!"ok".equals(r.getAs("status"))) continue;
            String id = r.getAs("image_id");
            double decode = r.getAs("seconds_decode"), inference = r.getAs("seconds_inference");
            double postprocess = r.getAs("seconds_postprocess"), measure = r.getAs("seconds_measure");
            double read = r.getAs("seconds_read"), encode = r.getAs("seconds_encode");
            double segment = inference + postprocess;
            assertTrue(read >= 0 && decode >= 0 && measure >= 0 && encode >= 0, id);
            assertEquals(0.0, inference, id + ": the classical segmenter runs no model");
            assertTrue(postprocess > 0, id + ": the segmenter takes time");
            if (!id.contains("#")) {
                // ImageProcessor's own clock covers decode + segment + measure of a single image
                double seconds = r.getAs("seconds");
                assertEquals(seconds, decode + segment + measure, 0.05 + 0.05 * seconds, id);
            }
        }
    }

    @Test
    void sequencesAggregatesAgreeWithInstances() {
        Map<String, Row> byId = images(output);
        Map<String, List<Integer>> areas = new HashMap<>();
        for (Row r : spark.read().parquet(output.resolve("instances").toString()).select("image_id", "area").collectAsList()) {
            areas.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getInt(1));
        }
        List<Row> seq = spark.read().parquet(output.resolve("sequences").toString()).collectAsList();
        assertEquals(8, seq.size(), "one row per segmented image or frame");
        for (Row s : seq) {
            String id = s.getAs("image_id");
            Row img = byId.get(id);
            int[] a = areas.getOrDefault(id, List.of()).stream().mapToInt(Integer::intValue).sorted().toArray();
            assertTrue(a.length > 5, id + " has nuclei");
            assertEquals(a.length, (int) s.<Integer>getAs("n_nuclei"), id);
            assertEquals((int) img.<Integer>getAs("n_nuclei"), a.length);
            assertEquals(Arrays.stream(a).average().orElseThrow(), s.<Double>getAs("mean_area"), 1e-9, id);
            double median = a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2.0;
            assertEquals(median, s.<Double>getAs("median_area"), 1e-9, id);
            double pixels = img.<Integer>getAs("width") * (double) img.<Integer>getAs("height");
            assertEquals(Arrays.stream(a).sum() / pixels, s.<Double>getAs("nuclear_area_fraction"), 1e-12, id);
            assertEquals(img.<Integer>getAs("frame"), s.<Integer>getAs("frame"), id);
            assertEquals(img.<String>getAs("experiment"), s.<String>getAs("experiment"), id);
            assertEquals(img.<String>getAs("well"), s.<String>getAs("well"), id);
        }
    }

    @Test
    void eachSequenceRunsInOneSparkPartitionInFrameOrder() throws IOException {
        List<InputFile> listed = InputLister.list(input.toString(), spark.sparkContext().hadoopConfiguration());
        List<InputFile> inputs = Manifest.resolve(ManifestReader.read(spark, manifest.toString()), input.toString(), listed,
                spark.sparkContext().hadoopConfiguration());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<List<InputFile>> partitions = SegmentJob.distribute(jsc, SequencePartitioner.plan(inputs, 4)).glom().collect();
        assertEquals(3, partitions.size(), "three sequences: A01, C03 (the stack), B02");
        Map<String, Integer> partitionOf = new HashMap<>();
        for (int p = 0; p < partitions.size(); p++) {
            List<Integer> frames = new ArrayList<>();
            for (InputFile f : partitions.get(p)) {
                Integer before = partitionOf.put(f.sequence().sequenceKey(), p);
                assertTrue(before == null || before == p, f.imageId() + " is in partition " + p + ", its sequence in " + before);
                frames.add(f.sequence().frame());
            }
            List<Integer> sorted = new ArrayList<>(frames);
            sorted.sort(null);
            assertEquals(sorted, frames, "partition " + p + " in frame order");
        }
        assertEquals(3, partitionOf.size());
    }

    @Test
    void parquetManifestReadsLikeTheCsv() {
        String parquet = tmp.resolve("manifest-parquet").toString();
        // typed columns, as pandas or Spark would write them: frame an integer, not text
        spark.read().option("header", "true").csv(manifest.toString())
                .selectExpr("path", "experiment", "well", "field", "cast(frame as int) as frame")
                .write().parquet(parquet);
        assertTrue(ManifestReader.isParquet(parquet) && !ManifestReader.isParquet(manifest.toString()));
        List<Manifest.Entry> fromCsv = new ArrayList<>(ManifestReader.read(spark, manifest.toString()));
        List<Manifest.Entry> fromParquet = new ArrayList<>(ManifestReader.read(spark, parquet));
        fromCsv.sort(java.util.Comparator.comparing(Manifest.Entry::path));
        fromParquet.sort(java.util.Comparator.comparing(Manifest.Entry::path));
        assertEquals(7, fromCsv.size());
        assertEquals(fromCsv, fromParquet);
    }

    @Test
    void patternParsesKeysFromPaths() {
        assertEquals(ExitCodes.OK, patternExit);
        Map<String, Row> byId = images(patternOutput);
        assertEquals(8, byId.size(), byId.keySet().toString());
        Row b = byId.get("expB/B02_2_t1");
        assertEquals(List.of("expB", "B02", "2", 1), List.of(b.getAs("experiment"), b.getAs("well"), b.getAs("field"), b.getAs("frame")));
        Row page = byId.get("expA/C03_1_stack#2");
        assertNull(page.getAs("experiment"), "the stack does not follow the .png pattern");
        assertEquals(2, (int) page.<Integer>getAs("frame"), "its pages are still its frames");
    }
}
