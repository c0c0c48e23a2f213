package org.nucleispark.job.evaluate;

import org.nucleispark.runtime.SetupException;

/**
 * The evaluate command's settings, checked once at the edge and passed down unchanged.
 *
 * @param predictions  a segment output to score
 * @param groundTruth  masks folders or label images ({@link org.nucleispark.store.GroundTruthReader})
 * @param output       where metrics.json and per_image/ go
 * @param master       Spark master, or null for the one spark-submit or the environment gives
 * @param modelVersion which model version's results to score (comma-separated for several); null = the
 *                     latest run's
 */
public record EvaluateOptions(String predictions, String groundTruth, String output, String master, String modelVersion) {

    public EvaluateOptions {
        predictions = required(predictions, "predictions");
        groundTruth = required(groundTruth, "ground truth");
        output = required(output, "output");
    }

    static String required(String value, String what) {
        if (value == null || value.isBlank()) throw new SetupException("evaluate: no " + what + " given");
        return value;
    }
}
