package org.nucleispark.job;

import org.nucleispark.runtime.SetupException;

import org.nucleispark.job.track.TrackedInstances;

import org.nucleispark.job.track.TrackJob;

import org.nucleispark.store.CurrentResults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import com.amazonaws.services.s3.model.S3ObjectSummary;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The synthetic time-lapse sample segmented (and linked, by default) once; then the report's tracking
 * section (present with tracks, absent without) and the CTC export to a real S3 server (S3Proxy)
 * through s3a://, byte for byte the same files as the local export.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrackReportAndExportTest {
    private Path tmp;
    private String tracked;
    private String untracked;

    @BeforeAll
    void segment() throws Exception {
        tmp = Files.createTempDirectory("nucleispark-track-report");
        Path input = tmp.resolve("in");
        Files.createDirectories(input);
        try (var files = Files.list(Path.of("sample-tracking"))) {
            for (Path p : files.filter(p -> p.getFileName().toString().matches("t\\d{3}\\.tif")).toList()) {
                Files.copy(p, input.resolve(p.getFileName()));
            }
        }
        tracked = tmp.resolve("tracked").toString();
        untracked = tmp.resolve("untracked").toString();
        assertEquals(0, Main.run("segment", "--model", "classical", "--input", input.toString(), "--pattern", "t{frame}.tif",
                "--output", tracked, "--master", "local[2]"));
        assertEquals(0, Main.run("segment", "--model", "classical", "--input", input.toString(), "--pattern", "t{frame}.tif",
                "--output", untracked, "--master", "local[2]", "--track", "off"));
    }

    @AfterAll
    void clean() {
        org.apache.commons.io.FileUtils.deleteQuietly(tmp.toFile());
    }

    @Test
    void reportHasATrackingSectionOnlyWithTracks() throws Exception {
        Path report = tmp.resolve("report");
        assertEquals(0, Main.run("report", "--predictions", tracked, "--output", report.toString(), "--master", "local[2]"));
        String html = Files.readString(report.resolve("index.html"));
        assertTrue(html.contains("<h2>Tracking</h2>"), html);
        for (String png : List.of("plots/track_lengths.png", "plots/divisions_per_frame.png", "tracks/o1_s1.png")) {
            assertTrue(html.contains(png), png + " not on the page");
            BufferedImage img = ImageIO.read(report.resolve(png).toFile());
            assertNotNull(img, png);
            assertTrue(img.getWidth() >= 512, png + " " + img.getWidth());
        }
        assertTrue(html.contains("tracks over frame 0"), "the drawing is of the first frame");

        Path plain = tmp.resolve("report-untracked");
        assertEquals(0, Main.run("report", "--predictions", untracked, "--output", plain.toString(), "--master", "local[2]"));
        String without = Files.readString(plain.resolve("index.html"));
        assertFalse(without.contains("Tracking"), without);
        assertFalse(Files.exists(plain.resolve("plots/track_lengths.png")));
        assertEquals(2, Main.run("report", "--output", plain.toString()), "neither --evaluations nor --predictions");
    }

    @Test
    void ctcExportToS3IsTheLocalExport() throws Exception {
        Path local = tmp.resolve("ctc-local");
        assertEquals(0, Main.run("export", "--predictions", tracked, "--format", "ctc", "--output", local.toString(), "--master", "local[2]"));
        try (S3ProxyServer server = new S3ProxyServer()) {
            String bucket = "nucleispark-" + UUID.randomUUID().toString().substring(0, 8);
            AmazonS3 s3 = AmazonS3ClientBuilder.standard()
                    .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(server.endpoint, "us-east-1"))
                    .withPathStyleAccessEnabled(true)
                    .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(server.accessKey, server.secretKey)))
                    .build();
            s3.createBucket(bucket);
            List<String> args = new ArrayList<>(List.of("export", "--predictions", tracked, "--format", "ctc",
                    "--output", "s3a://" + bucket + "/ctc/seq01_RES", "--master", "local[2]"));
            for (String kv : List.of("spark.hadoop.fs.s3a.endpoint=" + server.endpoint, "spark.hadoop.fs.s3a.endpoint.region=us-east-1",
                    "spark.hadoop.fs.s3a.path.style.access=true", "spark.hadoop.fs.s3a.connection.ssl.enabled=false",
                    "spark.hadoop.fs.s3a.access.key=" + server.accessKey, "spark.hadoop.fs.s3a.secret.key=" + server.secretKey)) {
                args.addAll(List.of("--conf", kv));
            }
            assertEquals(0, Main.run(args.toArray(String[]::new)));
            TreeMap<String, byte[]> remote = new TreeMap<>();
            for (S3ObjectSummary o : s3.listObjects(bucket, "ctc/seq01_RES/").getObjectSummaries()) {
                remote.put(o.getKey().substring("ctc/seq01_RES/".length()), s3.getObject(bucket, o.getKey()).getObjectContent().readAllBytes());
            }
            s3.shutdown();
            List<String> localNames;
            try (var files = Files.list(local)) {
                localNames = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            }
            assertEquals(localNames, new ArrayList<>(remote.keySet()));
            assertEquals(21, localNames.size(), "20 masks and res_track.txt");
            for (String n : localNames) assertArrayEquals(Files.readAllBytes(local.resolve(n)), remote.get(n), n);
        }
    }
}
