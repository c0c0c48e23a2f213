package org.nucleispark.job;

import org.nucleispark.runtime.ExitCodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * segment with input and output on s3a:// against a real S3 server (S3Proxy in a child JVM), through
 * the real hadoop-aws client, compared row for row with the same run on local files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3RoundTripTest {
    private static final List<String> IDS = List.of(
            "44ab6a09eedee848b072ea3acd0f4e781f9c43b8d4e3d62598e1024584bf0b01",
            "b0d6dfcc95e4d087d232378f860fc3ef9f95ea5a4c26d623a0be091f820a793f",
            "fec226e45f49ab81ab71e0eaa1248ba09b56a328338dce93a43f4044eababed5");
    private static final String IMAGE_COLUMNS = "image_id, status, n_nuclei, width, height, channels, bit_depth, model, model_version, file_size";
    private static final String INSTANCE_COLUMNS = "image_id, instance_id, area, centroid_x, centroid_y, perimeter, solidity, rle";

    /** large.tif (1.2 MP) goes block by block, the DSB images (at most 0.26 MP) whole. */
    private static final List<String> BLOCKS = List.of("--block-pixels", "1000000", "--block-size", "512", "--block-margin", "48");

    private S3ProxyServer server;
    private final String bucket = "nucleispark-" + UUID.randomUUID().toString().substring(0, 8);
    private Path tmp;
    private int s3Exit;
    private int localExit;
    private String s3RunOutput;

    @BeforeAll
    void runBoth() throws Exception {
        server = new S3ProxyServer();
        tmp = Files.createTempDirectory("nucleispark-s3");
        AmazonS3 s3 = AmazonS3ClientBuilder.standard()
                .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(server.endpoint, "us-east-1"))
                .withPathStyleAccessEnabled(true)
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(server.accessKey, server.secretKey)))
                .build();
        s3.createBucket(bucket);
        for (String id : IDS) {
            String rel = id + "/images/" + id + ".png";
            Path src = Paths.get("sample-data/dsb").resolve(rel);
            s3.putObject(bucket, "in/" + rel, src.toFile());
            Path local = tmp.resolve("in").resolve(rel);
            Files.createDirectories(local.getParent());
            Files.copy(src, local);
        }
        // one image above the block threshold below: segmented block by block, read through seeks on S3A
        Path large = tmp.resolve("in").resolve("large.tif");
        new org.nucleispark.image.SyntheticDiscs(1200, 1000, 50, 10, 0.3).write(large.toFile(), "tiff");
        s3.putObject(bucket, "in/large.tif", large.toFile());
        s3.shutdown();

        List<String> s3Args = new ArrayList<>(List.of("segment", "--model", "classical", "--input", "s3a://" + bucket + "/in",
                "--output", "s3a://" + bucket + "/out", "--master", "local[2]"));
        s3Args.addAll(BLOCKS);
        s3Conf().forEach((k, v) -> s3Args.addAll(List.of("--conf", k + "=" + v)));
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            s3Exit = Main.run(s3Args.toArray(String[]::new));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        s3RunOutput = captured.toString(StandardCharsets.UTF_8);
        System.out.print(s3RunOutput);
        List<String> localArgs = new ArrayList<>(List.of("segment", "--model", "classical", "--input", tmp.resolve("in").toString(),
                "--output", tmp.resolve("out").toString(), "--master", "local[2]"));
        localArgs.addAll(BLOCKS);
        localExit = Main.run(localArgs.toArray(String[]::new));
    }

    /** Hadoop settings for the local server; the keys go through Hadoop config, the provider chain's first link. */
    private Map<String, String> s3Conf() {
        return Map.of(
                "spark.hadoop.fs.s3a.endpoint", server.endpoint,
                "spark.hadoop.fs.s3a.endpoint.region", "us-east-1",
                "spark.hadoop.fs.s3a.path.style.access", "true",
                "spark.hadoop.fs.s3a.connection.ssl.enabled", "false",
                "spark.hadoop.fs.s3a.access.key", server.accessKey,
                "spark.hadoop.fs.s3a.secret.key", server.secretKey);
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
        org.apache.commons.io.FileUtils.deleteQuietly(tmp.toFile());
    }

    @Test
    void s3RunGivesTheSameRowsAsTheLocalRun() {
        assertEquals(ExitCodes.OK, s3Exit, s3RunOutput);
        assertEquals(ExitCodes.OK, localExit);
        SparkSession.Builder b = SparkSession.builder().master("local[1]").appName("s3-check");
        s3Conf().forEach(b::config);
        SparkSession spark = b.getOrCreate();
        try {
            String s3Out = "s3a://" + bucket + "/out";
            String localOut = tmp.resolve("out").toString();
            List<String> s3Images = rows(spark, s3Out + "/images", IMAGE_COLUMNS);
            assertEquals(IDS.size() + 1, s3Images.size(), s3Images.toString());
            assertTrue(s3Images.stream().anyMatch(r -> r.startsWith("[large,ok,")), s3Images.toString());
            assertEquals(rows(spark, localOut + "/images", IMAGE_COLUMNS), s3Images);
            List<String> s3Instances = rows(spark, s3Out + "/instances", INSTANCE_COLUMNS);
            assertTrue(s3Instances.size() > 30, "sample images hold dozens of nuclei; got " + s3Instances.size());
            assertEquals(rows(spark, localOut + "/instances", INSTANCE_COLUMNS), s3Instances);
            for (Row r : spark.read().parquet(s3Out + "/images").select("path").collectAsList()) {
                assertTrue(r.getString(0).startsWith("s3a://" + bucket + "/in/"), r.getString(0));
            }
        } finally {
            spark.stop();
        }
    }

    @Test
    void credentialsAreNotPrinted() {
        assertFalse(s3RunOutput.isEmpty(), "the run prints progress and a summary");
        assertFalse(s3RunOutput.contains(server.secretKey), "secret key printed:\n" + s3RunOutput);
    }

    private static List<String> rows(SparkSession spark, String path, String columns) {
        List<String> out = new ArrayList<>();
        for (Row r : spark.read().parquet(path).selectExpr(columns.split(", ")).collectAsList()) out.add(r.toString());
        out.sort(null);
        return out;
    }
}
