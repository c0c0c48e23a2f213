package org.nucleispark.job.train;

import org.nucleispark.runtime.SetupException;
import java.util.List;
import org.nucleispark.ensemble.FeatureSet;
import org.nucleispark.ensemble.SelectionGrid;

/**
 * The train-ensemble command's settings, checked once at the edge and passed down unchanged.
 *
 * @param predictions a segment output holding both CNNs' results over the labelled set
 * @param groundTruth the labelled set's masks or label images
 * @param output      the model folder (mllib/, trees.json, model.json)
 * @param master      Spark master, or null for the one spark-submit or the environment gives
 * @param maxIter     boosting iterations per variant, at least 1
 * @param folds       grouped cross-validation folds, at least 2 (images are the unit)
 * @param intensity   add {@link org.nucleispark.ensemble.IntensityFeatures} to each candidate's features
 * @param versions    train on these model versions' results only; empty = all current results
 * @param oofOutput   where to write the ensemble's out-of-fold predictions as a segment output; null = not
 * @param seeds       fits of each variant on other random draws, averaged ({@link org.nucleispark.ensemble.EnsembleTrainer#bagged}), at least 1
 * @param features    the candidate features the trees are fitted on ({@link FeatureSet}); null = {@link #DEFAULT_FEATURES}
 * @param selection   the NMS overlaps and minimum predicted IoUs tried on the cross-validated predictions; null =
 *                    {@link SelectionGrid#DEFAULT}
 */
public record TrainEnsembleOptions(String predictions, String groundTruth, String output, String master, int maxIter,
                                   int folds, boolean intensity, List<String> versions, String oofOutput, int seeds,
                                   FeatureSet features, SelectionGrid selection) {
    /** Fits of each variant by default: measured in docs/generalisation.md ("Trees averaged over seeds"). */
    public static final int DEFAULT_SEEDS = 3;
    /** What the shipped trees were fitted on: docs/generalisation.md, "Trees that do not know the magnification". */
    public static final FeatureSet DEFAULT_FEATURES = FeatureSet.SCALE_FREE;

    public TrainEnsembleOptions {
        predictions = required(predictions, "predictions");
        groundTruth = required(groundTruth, "ground truth");
        output = required(output, "output");
        if (maxIter < 1) throw new SetupException("train-ensemble: --max-iter must be at least 1, got " + maxIter);
        if (folds < 2) throw new SetupException("train-ensemble: --folds must be at least 2, got " + folds);
        if (seeds < 1) throw new SetupException("train-ensemble: --seeds must be at least 1, got " + seeds);
        versions = versions == null ? List.of() : List.copyOf(versions);
        if (features == null) features = DEFAULT_FEATURES;
        if (selection == null) selection = SelectionGrid.DEFAULT;
    }

    public TrainEnsembleOptions(String predictions, String groundTruth, String output, String master, int maxIter,
                                int folds, boolean intensity, List<String> versions, String oofOutput, int seeds,
                                FeatureSet features) {
        this(predictions, groundTruth, output, master, maxIter, folds, intensity, versions, oofOutput, seeds, features, null);
    }

    public TrainEnsembleOptions(String predictions, String groundTruth, String output, String master, int maxIter,
                                int folds, boolean intensity, List<String> versions, String oofOutput, int seeds) {
        this(predictions, groundTruth, output, master, maxIter, folds, intensity, versions, oofOutput, seeds, DEFAULT_FEATURES);
    }

    /** The defaults of the command line: no intensity features, every current result, no out-of-fold output. */
    public TrainEnsembleOptions(String predictions, String groundTruth, String output, String master, int maxIter, int folds) {
        this(predictions, groundTruth, output, master, maxIter, folds, false, List.of(), null, DEFAULT_SEEDS);
    }

    private static String required(String value, String what) {
        if (value == null || value.isBlank()) throw new SetupException("train-ensemble: no " + what + " given");
        return value;
    }
}
