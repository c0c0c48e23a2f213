package org.nucleispark.ensemble;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Trains the IoU regressor on the candidates of labelled images (out-of-fold predictions of both
 * CNNs): grouped cross-validation by image for honest figures and for tuning the selection, then
 * every variant refitted on all images.
 */
public final class EnsembleTrainer {
    /**
     * One GBT configuration; the thesis averaged several such models rather than picking one.
     *
     * @param seedOffset added to the training seed: the same configuration fitted on other random draws
     *                   (row subsampling, feature subsets) for {@link #bagged}
     */
    public record Variant(String name, int maxDepth, double stepSize, double subsamplingRate,
                          String featureSubsetStrategy, int maxIter, long seedOffset) {
        public Variant(String name, int maxDepth, double stepSize, double subsamplingRate, String featureSubsetStrategy, int maxIter) {
            this(name, maxDepth, stepSize, subsamplingRate, featureSubsetStrategy, maxIter, 0);
        }

        PipelineStage[] stages(long seed) {
            GBTRegressor gbt = new GBTRegressor().setFeaturesCol("features").setLabelCol("label")
                    .setMaxDepth(maxDepth).setStepSize(stepSize).setSubsamplingRate(subsamplingRate)
                    .setFeatureSubsetStrategy(featureSubsetStrategy).setMaxIter(maxIter).setSeed(seed + seedOffset);
            return new PipelineStage[] {gbt};
        }
    }

    /**
     * Each variant fitted {@code seeds} times on other random draws, all averaged by {@link IouModel}. Why: the
     * trees depend chaotically on their draws, so that changing one image's candidates of 176 moved the
     * refitted ensemble's held-out mAP by up to 0.006 per image type (docs/generalisation.md); averaging
     * over draws is the usual cure for that variance (bagging). {@code seeds} = 1 gives the variants as
     * they are (earlier releases); the first fit of each keeps its name and seed.
     */
    public static List<Variant> bagged(List<Variant> variants, int seeds) {
        if (seeds < 1) throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
        List<Variant> out = new ArrayList<>();
        for (Variant v : variants) {
            for (int k = 0; k < seeds; k++) {
                out.add(k == 0 ? v : new Variant(v.name() + "_seed" + k, v.maxDepth(), v.stepSize(), v.subsamplingRate(),
                        v.featureSubsetStrategy(), v.maxIter(), v.seedOffset() + 1000L * k));
            }
        }
        return out;
    }

    public static List<Variant> defaultVariants(int maxIter) {
        return List.of(
                new Variant("depth5_all", 5, 0.1, 0.8, "all", maxIter),
                new Variant("depth4_onethird", 4, 0.15, 0.7, "onethird", maxIter),
                new Variant("depth6_half", 6, 0.08, 0.8, "0.5", maxIter));
    }

    /**
     * @param oofPredicted each image's candidates' predicted IoU from the cross-validation model that
     *     did not see the image (mean of the variants), in the order of {@code images}
     */
    public record Result(IouModel model, List<PipelineModel> mllibModels, Map<String, Object> report,
                         double[][] oofPredicted) {}

    private static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("image", DataTypes.IntegerType, false),
            DataTypes.createStructField("fold", DataTypes.IntegerType, false),
            DataTypes.createStructField("features", SQLDataTypes.VectorType(), false),
            DataTypes.createStructField("label", DataTypes.DoubleType, false)));

    private EnsembleTrainer() {}

    /** Images are grouped into folds by id, so no image is in both the training and validation side. */
    public static int fold(String imageId, int folds) {
        return Math.floorMod(imageId.hashCode(), folds);
    }

    /** @param featureNames what each candidate's feature vector holds, in order ({@link CandidateFeatures#names}) */
    public static Result train(SparkSession spark, List<ImageCandidates> images, List<String> featureNames,
                               List<Variant> variants, int folds, long seed) {
        return train(spark, images, featureNames, variants, folds, seed, SelectionGrid.DEFAULT);
    }

    /** @param selection the selection settings tried on the cross-validated predictions ({@link SelectionGrid#choose}) */
    public static Result train(SparkSession spark, List<ImageCandidates> images, List<String> featureNames,
                               List<Variant> variants, int folds, long seed, SelectionGrid selection) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            int f = fold(images.get(i).imageId(), folds);
            for (ImageCandidates.Entry e : images.get(i).candidates()) {
                rows.add(RowFactory.create(i, f, Vectors.dense(e.features()), e.target()));
            }
        }
        Dataset<Row> data = spark.createDataFrame(rows, SCHEMA).cache();

        // Out-of-fold predictions of every variant, then of their mean
        double[][][] oof = new double[variants.size()][images.size()][];
        for (int k = 0; k < folds; k++) {
            Dataset<Row> train = data.where(data.col("fold").notEqual(k));
            for (int v = 0; v < variants.size(); v++) {
                List<RegressionTree> trees = MllibTrees.of(fit(train, variants.get(v), seed));
                IouModel one = new IouModel(featureNames, List.of(trees), SelectionGrid.THESIS_OVERLAP, 0);
                for (int i = 0; i < images.size(); i++) {
                    if (fold(images.get(i).imageId(), folds) == k) oof[v][i] = one.predictAll(featureRows(images.get(i)));
                }
            }
        }
        double[][] mean = new double[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            mean[i] = new double[images.get(i).candidates().size()];
            for (double[][] variant : oof) for (int j = 0; j < mean[i].length; j++) mean[i][j] += variant[i][j] / variants.size();
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("images", images.size());
        report.put("candidates", rows.size());
        report.put("candidates_by_model", countBySource(images));
        report.put("cv_folds", folds);
        Map<String, Object> cv = new LinkedHashMap<>();
        for (int v = 0; v < variants.size(); v++) cv.put(variants.get(v).name(), regression(images, oof[v]));
        cv.put("mean_of_variants", regression(images, mean));
        report.put("cross_validation", cv);

        SelectionGrid.Choice choice = selection.choose(images, mean);
        Map<String, Object> oofMap = new LinkedHashMap<>();
        oofMap.put("ensemble", round(choice.mAP()));
        for (String source : List.of("unet", "maskrcnn")) {
            double m = 0;
            for (ImageCandidates image : images) m += SelectionScore.dsb(image, SelectionScore.member(image, source));
            oofMap.put(source, round(m / images.size()));
        }
        oofMap.put("note", "DSB mAP over these images from overlap statistics; members = all of one model's "
                + "candidates; ensemble = NMS on cross-validated predicted IoU");
        report.put("oof_mAP", oofMap);
        Map<String, Object> chosen = new LinkedHashMap<>();
        chosen.put("max_overlap", choice.maxOverlap());
        chosen.put("min_predicted_iou", choice.minPredicted());
        chosen.put("mAP_by_min_predicted_iou", choice.table().get(String.valueOf(choice.maxOverlap())));
        if (choice.table().size() > 1) chosen.put("mAP_by_max_overlap", choice.table());
        report.put("selection", chosen);

        List<PipelineModel> finals = new ArrayList<>();
        List<List<RegressionTree>> exported = new ArrayList<>();
        for (Variant v : variants) {
            PipelineModel pm = new Pipeline().setStages(v.stages(seed)).fit(data);
            finals.add(pm);
            exported.add(MllibTrees.of((GBTRegressionModel) pm.stages()[0]));
        }
        data.unpersist();
        return new Result(new IouModel(featureNames, exported, choice.maxOverlap(), choice.minPredicted()), finals, report, mean);
    }

    private static GBTRegressionModel fit(Dataset<Row> train, Variant v, long seed) {
        return (GBTRegressionModel) new Pipeline().setStages(v.stages(seed)).fit(train).stages()[0];
    }

    static double[][] featureRows(ImageCandidates image) {
        return image.candidates().stream().map(ImageCandidates.Entry::features).toArray(double[][]::new);
    }

    private static Map<String, Integer> countBySource(List<ImageCandidates> images) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (ImageCandidates image : images) {
            for (ImageCandidates.Entry e : image.candidates()) out.merge(e.source(), 1, Integer::sum);
        }
        return out;
    }

    /** RMSE and Spearman rank correlation of predicted against true IoU over all candidates. */
    static Map<String, Object> regression(List<ImageCandidates> images, double[][] predicted) {
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            for (int j = 0; j < predicted[i].length; j++) {
                pairs.add(new double[] {predicted[i][j], images.get(i).candidates().get(j).target()});
            }
        }
        double se = 0;
        for (double[] p : pairs) se += (p[0] - p[1]) * (p[0] - p[1]);
        double[] a = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] b = pairs.stream().mapToDouble(p -> p[1]).toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rmse", round(Math.sqrt(se / Math.max(pairs.size(), 1))));
        m.put("spearman", round(pearson(ranks(a), ranks(b))));
        return m;
    }

    /** Ranks 1..n with ties sharing their mean rank (the usual definition behind Spearman's rho). */
    static double[] ranks(double[] x) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < x.length; i++) order[i] = i;
        Arrays.sort(order, (p, q) -> Double.compare(x[p], x[q]));
        double[] r = new double[x.length];
        for (int s = 0; s < x.length; ) {
            int e = s;
            while (e + 1 < x.length && x[order[e + 1]] == x[order[s]]) e++;
            double rank = (s + e) / 2.0 + 1;
            for (int k = s; k <= e; k++) r[order[k]] = rank;
            s = e + 1;
        }
        return r;
    }

    static double pearson(double[] a, double[] b) {
        int n = a.length;
        if (n < 2) return Double.NaN;
        double ma = Arrays.stream(a).average().orElse(0), mb = Arrays.stream(b).average().orElse(0);
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
