package org.nucleispark.job;

import org.nucleispark.runtime.ExitCodes;

/**
 * Entry point for Databricks JAR tasks ({@code deploy/databricks-job.json}). Databricks runs the task
 * in a JVM it keeps alive and asks jobs not to call {@code System.exit}, which {@link Main#main} does;
 * here a non-zero exit code becomes an exception, so the run is marked failed with the reason, and
 * success simply returns. The job uses the cluster's SparkSession and leaves it running.
 */
public final class DatabricksMain {
    private DatabricksMain() {}

    public static void main(String[] args) {
        int code = Main.run(args);
        if (code != ExitCodes.OK) {
            throw new IllegalStateException("nucleispark " + String.join(" ", args) + " ended with exit code " + code
                    + (code == ExitCodes.SETUP_ERROR ? " (setup error: see the message above in the driver log)"
                    : " (no image could be processed)"));
        }
    }
}
