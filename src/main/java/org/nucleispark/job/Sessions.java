package org.nucleispark.job;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Gives a command its SparkSession: spark-submit's settings win; a plain {@code java} launch runs
 * locally. A session that already exists in the JVM (a notebook, a Databricks job, a test) is used
 * and left running; only a session created here is stopped when the command ends.
 */
final class Sessions implements AutoCloseable {
    private final SparkSession spark;
    private final boolean owned;

    private Sessions(SparkSession spark, boolean owned) {
        this.spark = spark;
        this.owned = owned;
    }

    SparkSession spark() {
        return spark;
    }

    static Sessions open(String appName, String master) {
        scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
        if (existing.isDefined()) return new Sessions(existing.get(), false);
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
        return new Sessions(b.getOrCreate(), true);
    }

    @Override
    public void close() {
        if (owned) spark.stop();
    }
}
