package org.nucleispark.ensemble;

import java.io.Serializable;

/**
 * One regression tree in flat arrays: node i is a leaf when {@code feature[i] < 0} (its value is
 * {@code value[i]}); otherwise x goes to {@code left[i]} when {@code x[feature[i]] <= threshold[i]},
 * else to {@code right[i]} (MLlib's ContinuousSplit rule). Root is node 0.
 *
 * <p>Why not call MLlib at inference: its models load through a SparkContext, which executors do
 * not have, and a DataFrame per image would cost more than the trees. MLlib trains and persists the
 * model; this class evaluates the same trees, exported once, with a few array reads.
 */
public record RegressionTree(double weight, int[] feature, double[] threshold, int[] left, int[] right, double[] value)
        implements Serializable {

    public double predict(double[] x) {
        int i = 0;
        while (feature[i] >= 0) i = x[feature[i]] <= threshold[i] ? left[i] : right[i];
        return value[i];
    }
}
