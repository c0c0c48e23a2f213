package org.nucleispark.job;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * bin/cluster-test's helper (not a test): uploads a local tree to the S3 server, and compares a
 * cluster run's output with a local run's. S3 settings come from the environment: S3_ENDPOINT,
 * S3_ACCESS_KEY, S3_SECRET_KEY.
 *
 * <pre>
 *   upload BUCKET LOCAL_DIR KEY_PREFIX    create the bucket if needed, put every file under LOCAL_DIR
 *   compare EXPECTED ACTUAL               every table (sorted rows) and label image; exit 1 on a difference
 * </pre>
 */
public final class ClusterTestTool {
    /** Differ between two runs of the same input: run ids, timings, file times, where the input lay. */
    private static final List<String> VOLATILE = List.of("run_id", "file_modified");

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "upload" -> upload(args[1], Paths.get(args[2]), args[3]);
            case "compare" -> System.exit(compare(args[1], args[2]));
            default -> throw new IllegalArgumentException("upload | compare");
        }
    }

    private static void upload(String bucket, Path dir, String prefix) throws Exception {
        AmazonS3 s3 = AmazonS3ClientBuilder.standard()
                .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(env("S3_ENDPOINT"), "us-east-1"))
                .withPathStyleAccessEnabled(true)
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(env("S3_ACCESS_KEY"), env("S3_SECRET_KEY"))))
                .build();
        if (!s3.doesBucketExistV2(bucket)) s3.createBucket(bucket);
        int n = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                s3.putObject(bucket, prefix + "/" + dir.relativize(f).toString().replace('\\', '/'), f.toFile());
                n++;
            }
        }
        s3.shutdown();
        System.out.printf("cluster-test: uploaded %d files from %s to s3a://%s/%s%n", n, dir, bucket, prefix);
    }

    private static String env(String k) {
        String v = System.getenv(k);
        if (v == null) throw new IllegalStateException("set " + k);
        return v;
    }

    private static int compare(String expected, String actual) throws Exception {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("cluster-test compare")
                .config("spark.ui.enabled", "false")
                .config("spark.hadoop.fs.s3a.endpoint", env("S3_ENDPOINT"))
                .config("spark.hadoop.fs.s3a.endpoint.region", "us-east-1")
                .config("spark.hadoop.fs.s3a.path.style.access", "true")
                .config("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
                .config("spark.hadoop.fs.s3a.access.key", env("S3_ACCESS_KEY"))
                .config("spark.hadoop.fs.s3a.secret.key", env("S3_SECRET_KEY"))
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        int differences = 0;
        for (String table : List.of("images", "instances", "sequences")) {
            List<String> e = rows(spark, expected + "/" + table);
            List<String> a = rows(spark, actual + "/" + table);
            if (e.equals(a)) {
                System.out.printf("cluster-test: %s equal (%d rows)%n", table, e.size());
            } else {
                differences++;
                System.out.printf("cluster-test: %s DIFFER: %d rows expected, %d actual%n", table, e.size(), a.size());
                List<String> onlyE = new ArrayList<>(e);
                onlyE.removeAll(a);
                List<String> onlyA = new ArrayList<>(a);
                onlyA.removeAll(e);
                onlyE.stream().limit(3).forEach(r -> System.out.println("  expected only: " + r));
                onlyA.stream().limit(3).forEach(r -> System.out.println("  actual only:   " + r));
            }
        }
        TreeMap<String, byte[]> el = labels(spark, expected + "/labels");
        TreeMap<String, byte[]> al = labels(spark, actual + "/labels");
        List<String> labelDiffs = new ArrayList<>();
        for (String k : el.keySet()) {
            if (!al.containsKey(k)) labelDiffs.add(k + " missing");
            else if (!Arrays.equals(el.get(k), al.get(k))) labelDiffs.add(k + " differs");
        }
        for (String k : al.keySet()) if (!el.containsKey(k)) labelDiffs.add(k + " unexpected");
        if (el.isEmpty() || !labelDiffs.isEmpty()) {
            differences++;
            System.out.printf("cluster-test: labels DIFFER (%d expected): %s%n", el.size(), labelDiffs);
        } else {
            System.out.printf("cluster-test: labels equal (%d PNGs, byte for byte)%n", el.size());
        }
        spark.stop();
        return differences == 0 ? 0 : 1;
    }

    /** Sorted rows without the run's own columns; paths as their file name (the local and S3 roots differ). */
    private static List<String> rows(SparkSession spark, String dir) {
        Dataset<Row> df;
        try {
            df = spark.read().parquet(dir);
        } catch (Exception e) {
            // a table without rows (sequences/ of images that are no time-lapse) has no Parquet files
            return List.of("(no Parquet files: " + e.getClass().getSimpleName() + ")");
        }
        List<Column> cols = new ArrayList<>();
        for (String c : df.columns()) {
            if (VOLATILE.contains(c) || c.startsWith("seconds")) continue;
            cols.add(c.equals("path")
                    ? org.apache.spark.sql.functions.regexp_extract(df.col(c), "([^/]*)$", 1).as(c)
                    : df.col(c));
        }
        List<String> out = new ArrayList<>();
        for (Row r : df.select(cols.toArray(new Column[0])).collectAsList()) out.add(r.toString());
        out.sort(null);
        return out;
    }

    private static TreeMap<String, byte[]> labels(SparkSession spark, String dir) throws Exception {
        TreeMap<String, byte[]> out = new TreeMap<>();
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir);
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(root)) return out;
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            FileStatus f = it.next();
            String name = f.getPath().getName();
            if (!name.endsWith(".png")) continue;
            try (var in = fs.open(f.getPath())) {
                out.put(f.getPath().toUri().getPath().substring(root.toUri().getPath().length()), in.readAllBytes());
            }
        }
        return out;
    }
}
