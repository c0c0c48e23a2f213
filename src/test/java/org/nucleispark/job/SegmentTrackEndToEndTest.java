package org.nucleispark.job;

import org.nucleispark.runtime.SetupException;

import org.nucleispark.job.track.TrackedInstances;

import org.nucleispark.job.track.TrackJob;

import org.nucleispark.store.CurrentResults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nucleispark.track.ctc.CtcEvaluator;
import org.nucleispark.track.ctc.CtcFiles;
import org.nucleispark.track.ctc.CtcScores;

/**
 * segment on the synthetic time-lapse sample (sample-tracking, 20 frames, classical model) links in
 * the same run, by default, because the --pattern has {frame}; incremental and repeated runs do not
 * duplicate track rows; the CTC export through a file: URI scores as documented in docs/tracking.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentTrackEndToEndTest {
    // docs/tracking.md: DET 0.9705, TRA 0.953–0.954 (13 merges of touching nuclei by the classical model)
    private static final double DET_AT_LEAST = 0.95, TRA_AT_LEAST = 0.93;
    private Path tmp;
    private Path input;
    private String out;
    private String firstRunOutput;
    private SparkSession spark;

    @BeforeAll
    void segmentWithTracking() throws Exception {
        tmp = Files.createTempDirectory("nucleispark-segment-track");
        input = tmp.resolve("in");
        Files.createDirectories(input);
        for (Path p : frames()) Files.copy(p, input.resolve(p.getFileName()));
        out = tmp.resolve("out").toString();
        firstRunOutput = captured(() -> assertEquals(0, Main.run("segment", "--model", "classical", "--input", input.toString(),
                "--pattern", "t{frame}.tif", "--output", out, "--master", "local[2]")));
        spark = SparkSession.builder().master("local[2]").getOrCreate();
    }

    @AfterAll
    void clean() {
        org.apache.commons.io.FileUtils.deleteQuietly(tmp.toFile());
    }

    private static List<Path> frames() throws Exception {
        try (var files = Files.list(Path.of("sample-tracking"))) {
            return files.filter(p -> p.getFileName().toString().matches("t\\d{3}\\.tif")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void segmentLinksByDefaultAndTheExportScoresAsDocumented() throws Exception {
        assertTrue(firstRunOutput.contains("segment: linked "), firstRunOutput);
        assertTrue(firstRunOutput.contains("stage=track "), firstRunOutput);
        assertEquals(1, spark.read().parquet(out + "/track_runs").count(), "one tracking run, by segment");
        long instances = CurrentResults.of(spark, out).instances().count();
        assertEquals(instances, TrackJob.current(spark, out, "track_ids").count(), "every instance has a track");

        // the view users read: instances with track_id, none null
        List<Row> tracked = TrackedInstances.of(spark, out).collectAsList();
        assertEquals(instances, tracked.size());
        assertTrue(tracked.stream().allMatch(r -> r.getAs("track_id") != null), "every instance carries its track_id");

        // export through a Hadoop URI (file:), scored from the files as an independent scorer would
        Path ctc = tmp.resolve("ctc");
        assertEquals(0, Main.run("export", "--predictions", out, "--format", "ctc", "--output", ctc.toUri().toString(), "--master", "local[2]"));
        assertTrue(Files.exists(ctc.resolve("mask000.tif")) && Files.exists(ctc.resolve("mask019.tif")) && Files.exists(ctc.resolve("res_track.txt")));
        CtcScores s = CtcEvaluator.evaluate(CtcFiles.readGroundTruth(Path.of("sample-tracking/GT")), CtcFiles.readResult(ctc),
                CtcFiles.readSegmentation(Path.of("sample-tracking/GT")));
        System.out.println("synthetic sample, segment --track (classical): " + s.summary());
        assertTrue(s.det() > DET_AT_LEAST && s.tra() > TRA_AT_LEAST, s.summary());

        // the per-nucleus export carries track_id and frame
        Path csv = tmp.resolve("csv");
        assertEquals(0, Main.run("export", "--predictions", out, "--format", "csv", "--output", csv.toString(), "--master", "local[2]"));
        Row first = spark.read().option("header", "true").csv(csv.toString()).first();
        assertTrue(List.of(first.schema().fieldNames()).containsAll(List.of("track_id", "frame", "instance_id", "centroid_x")));
        assertFalse(List.of(first.schema().fieldNames()).contains("rle"));
    }

    @Test
    void repeatedRunsDoNotDuplicateTrackRows() throws Exception {
        String o = tmp.resolve("out-repeat").toString();
        assertEquals(0, Main.run("segment", "--model", "classical", "--input", input.toString(), "--pattern", "t{frame}.tif",
                "--output", o, "--master", "local[2]", "--track", "on"));
        List<String> first = ids(o);
        // every input already done: the tracks are up to date, no tracking run is appended
        String again = captured(() -> assertEquals(0, Main.run("segment", "--model", "classical", "--input", input.toString(),
                "--pattern", "t{frame}.tif", "--output", o, "--master", "local[2]", "--incremental")));
        assertTrue(again.contains("tracks up to date"), again);
        assertEquals(1, spark.read().parquet(o + "/track_runs").count());
        assertEquals(first, ids(o));
        // a full rerun segments again and relinks: a second tracking run, the same current rows, once each
        assertEquals(0, Main.run("segment", "--model", "classical", "--input", input.toString(), "--pattern", "t{frame}.tif",
                "--output", o, "--master", "local[2]"));
        assertEquals(2, spark.read().parquet(o + "/track_runs").count());
        assertEquals(first, ids(o), "relinked rows replace the earlier ones, none duplicated");
        assertEquals(CurrentResults.of(spark, o).instances().count(), TrackedInstances.of(spark, o).count());
    }

    @Test
    void trackOffAndCorporaWithoutFramesWriteNoTracks() throws Exception {
        String off = tmp.resolve("out-off").toString();
        assertEquals(0, Main.run("segment", "--model", "classical", "--input", input.toString(), "--pattern", "t{frame}.tif",
                "--output", off, "--master", "local[2]", "--track", "off"));
        assertFalse(Files.exists(Path.of(off, "track_runs")));
        assertNull(TrackJob.current(spark, off, "tracks"));
        assertTrue(TrackedInstances.of(spark, off).collectAsList().stream().allMatch(r -> r.getAs("track_id") == null));
        // no pattern: single images have no frame, auto does not link
        String plain = tmp.resolve("out-plain").toString();
        assertEquals(0, Main.run("segment", "--model", "classical", "--input", input.toString(), "--output", plain, "--master", "local[2]"));
        assertFalse(Files.exists(Path.of(plain, "track_runs")));
        assertEquals(2, Main.run("segment", "--model", "classical", "--input", input.toString(), "--output", plain, "--track", "sometimes"));
    }

    @Test
    void eachMultiPageStackIsASequenceOfItsOwn() throws Exception {
        Path stacks = tmp.resolve("stacks");
        Files.createDirectories(stacks);
        List<BufferedImage> pages = new ArrayList<>();
        for (Path f : frames().subList(0, 8)) pages.add(ImageIO.read(f.toFile()));
        writeStack(stacks.resolve("a.tif").toFile(), pages);
        writeStack(stacks.resolve("b.tif").toFile(), pages);
        String o = tmp.resolve("out-stacks").toString();
        assertEquals(0, Main.run("segment", "--model", "classical", "--input", stacks.toString(), "--output", o, "--master", "local[2]"));
        List<Row> tracks = TrackJob.current(spark, o, "tracks").collectAsList();
        List<String> stackPaths = tracks.stream().map(r -> r.<String>getAs("stack")).distinct().sorted().collect(Collectors.toList());
        assertEquals(2, stackPaths.size(), stackPaths.toString());
        assertTrue(stackPaths.get(0).endsWith("a.tif") && stackPaths.get(1).endsWith("b.tif"), stackPaths.toString());
        long a = tracks.stream().filter(r -> r.<String>getAs("stack").endsWith("a.tif")).count();
        assertEquals(tracks.size(), 2 * a, "identical stacks, identical tracks");
        assertTrue(tracks.stream().allMatch(r -> r.<Integer>getAs("end_frame") <= 7));
        Path ctc = tmp.resolve("ctc-stacks");
        assertEquals(0, Main.run("export", "--predictions", o, "--format", "ctc", "--output", ctc.toString(), "--master", "local[2]"));
        try (var dirs = Files.list(ctc)) {
            List<String> names = dirs.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            assertEquals(2, names.size(), names.toString());
            assertTrue(names.get(0).endsWith("_a") && names.get(1).endsWith("_b"), names.toString());
        }
    }

    private List<String> ids(String output) {
        return TrackJob.current(spark, output, "track_ids").collectAsList().stream()
                .map(r -> r.getAs("image_id") + "/" + r.getAs("instance_id") + "/" + r.getAs("track_version") + "=" + r.getAs("track_id"))
                .sorted().collect(Collectors.toList());
    }

    private static void writeStack(File f, List<BufferedImage> pages) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (FileImageOutputStream o = new FileImageOutputStream(f)) {
            writer.setOutput(o);
            writer.prepareWriteSequence(null);
            for (BufferedImage p : pages) writer.writeToSequence(new IIOImage(p, null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    private static String captured(Runnable r) {
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(stdout);
        }
        String s = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        stdout.print(s);
        return s;
    }
}
