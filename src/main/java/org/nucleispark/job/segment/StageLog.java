package org.nucleispark.job.segment;

import java.io.PrintStream;
import org.apache.spark.SparkContext;

/**
 * The stages of a run, told twice: to Spark, as the description of the jobs that follow (the Spark
 * UI's job list then reads like the data flow), and to the log, as one line per finished stage with
 * its counts and wall time in key=value form ({@code stage=write rows=12 seconds=1.4}), which grep,
 * awk and log pipelines can read without a parser.
 */
final class StageLog {
    private final SparkContext sc;
    private final PrintStream out;
    private String current;
    private long startNanos;

    StageLog(SparkContext sc, PrintStream out) {
        this.sc = sc;
        this.out = out;
    }

    /**
     * Starts a stage, or continues it when it is the current one (write: images/, then instances/ …);
     * {@code detail} completes the Spark job description "name: detail".
     */
    void begin(String name, String detail) {
        if (!name.equals(current)) startNanos = System.nanoTime();
        current = name;
        sc.setJobDescription(name + ": " + detail);
    }

    /** Ends the current stage with its counts, e.g. {@code "files=12 skipped=10"}. */
    void end(String counts) {
        if (current == null) return;
        out.printf("stage=%s %s%sseconds=%.2f%n", current, counts, counts.isEmpty() ? "" : " ", (System.nanoTime() - startNanos) / 1e9);
        current = null;
    }
}
