package org.nucleispark.runtime;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a command its SparkSession: spark-submit's settings win; a plain {@code java} launch runs
 * locally. A session that already exists in the JVM (a notebook, a Databricks job, a test) is used
 * and left running; only a session created here is stopped when the command ends.
 *
 * <p>Extra settings ({@code --conf KEY=VALUE}) go to the session like spark-submit's {@code --conf}:
 * {@code spark.hadoop.X} becomes Hadoop's {@code X} (e.g. {@code spark.hadoop.fs.s3a.endpoint}). Their
 * values are never printed, since Hadoop settings can hold credentials.
 */
public final class Sessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    private static final String HADOOP_PREFIX = "spark.hadoop.";
    private final SparkSession spark;
    private final boolean owned;

    private Sessions(SparkSession spark, boolean owned) {
        this.spark = spark;
        this.owned = owned;
    }

    public SparkSession spark() {
        return spark;
    }

    public static Sessions open(String appName, String master) {
        return open(appName, master, Map.of());
    }

    public static Sessions open(String appName, String master, Map<String, String> extraConf) {
        scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
        if (existing.isDefined()) {
            applyToRunning(existing.get(), extraConf);
            return new Sessions(existing.get(), false);
        }
        SparkConf conf = new SparkConf();
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        boolean submitted = conf.contains("spark.master");
        if (master != null && !master.isBlank()) {
            b.master(master);
        } else if (!submitted) {
            b.master("local[*]");
        }
        // our own progress line replaces Spark's console bar, which garbles piped logs
        b.config("spark.ui.showConsoleProgress", "false");
        if (!submitted && !conf.contains("spark.ui.enabled")) {
            // a laptop run needs no web UI, and port scans for it slow start-up
            b.config("spark.ui.enabled", "false");
        }
        b.config("spark.sql.parquet.compression.codec", "zstd");
        extraConf.forEach(b::config);
        return new Sessions(b.getOrCreate(), true);
    }

    /**
     * A running session's SparkConf is fixed; its Hadoop configuration and SQL settings are not. The
     * Hadoop keys are what --conf is for in practice (S3 endpoints), so those are applied here.
     */
    private static void applyToRunning(SparkSession spark, Map<String, String> extraConf) {
        extraConf.forEach((k, v) -> {
            if (k.startsWith(HADOOP_PREFIX)) {
                spark.sparkContext().hadoopConfiguration().set(k.substring(HADOOP_PREFIX.length()), v);
            } else if (spark.conf().isModifiable(k)) {
                spark.conf().set(k, v);
            } else {
                LOG.warn("--conf {} cannot change on the already running Spark session; ignored", k);
            }
        });
    }

    @Override
    public void close() {
        if (owned) spark.stop();
    }
}
