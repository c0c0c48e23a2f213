package org.nucleispark.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** The exported trees predict exactly what MLlib predicts, and survive their JSON file. */
class IouModelTest {
    @Test
    void exportedTreesPredictLikeMllibAndRoundTripThroughJson() throws IOException {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("trees-test")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            int n = CandidateFeatures.NAMES.size();
            Random rnd = new Random(11);
            List<Row> rows = new ArrayList<>();
            List<double[]> xs = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                double[] x = rnd.doubles(n).toArray();
                xs.add(x);
                rows.add(RowFactory.create(Vectors.dense(x), x[0] > 0.5 ? 0.8 - 0.3 * x[3] : 0.2 * x[5]));
            }
            Dataset<Row> data = spark.createDataFrame(rows, DataTypes.createStructType(List.of(
                    DataTypes.createStructField("features", SQLDataTypes.VectorType(), false),
                    DataTypes.createStructField("label", DataTypes.DoubleType, false))));
            GBTRegressionModel gbt = new GBTRegressor().setMaxDepth(3).setMaxIter(15).setSeed(1).fit(data);
            IouModel model = new IouModel(CandidateFeatures.NAMES, List.of(MllibTrees.of(gbt)), 0.3, 0.25);
            IouModel back = IouModel.fromJson(model.toJson());
            for (double[] x : xs) {
                Vector v = Vectors.dense(x);
                assertEquals(gbt.predict(v), model.predict(x), 1e-12);
                assertEquals(model.predict(x), back.predict(x), 0.0);
            }
            assertEquals(0.25, back.minPredictedIou());
            assertTrue(model.predict(xs.get(0)) != model.predict(xs.get(1)), "a fitted model, not a constant");
        } finally {
            spark.stop();
        }
    }

    @Test
    void variantsAreAveragedAndWrongFeatureListsRefused() throws IOException {
        RegressionTree constant1 = new RegressionTree(1.0, new int[] {-1}, new double[] {0}, new int[] {0}, new int[] {0}, new double[] {0.2});
        RegressionTree split = new RegressionTree(0.5, new int[] {2, -1, -1}, new double[] {0.5, 0, 0},
                new int[] {1, 0, 0}, new int[] {2, 0, 0}, new double[] {0, 0.4, 0.8});
        IouModel m = new IouModel(CandidateFeatures.NAMES, List.of(List.of(constant1, split), List.of(constant1)), 0.3, 0);
        double[] x = new double[CandidateFeatures.NAMES.size()];
        x[2] = 0.7; // right leaf: 0.2 + 0.5*0.8 = 0.6 and 0.2, mean 0.4
        assertEquals(0.4, m.predict(x), 1e-12);
        x[2] = 0.5; // <= threshold goes left: 0.2 + 0.5*0.4 = 0.4 and 0.2, mean 0.3
        assertEquals(0.3, m.predict(x), 1e-12);
        String json = m.toJson().replace("\"area\"", "\"area_px\"");
        IOException e = assertThrows(IOException.class, () -> IouModel.fromJson(json));
        assertTrue(e.getMessage().contains("retrain"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.predict(new double[3]));
        assertFalse(IouModel.fromJson(m.toJson()).usesIntensity());

        IouModel withIntensity = new IouModel(CandidateFeatures.names(true), List.of(List.of(constant1)), 0.3, 0);
        IouModel loaded = IouModel.fromJson(withIntensity.toJson());
        assertTrue(loaded.usesIntensity(), "a model trained with intensity features asks for them when served");
        assertEquals(CandidateFeatures.NAMES.size() + IntensityFeatures.NAMES.size(), loaded.featureNames().size());
    }

    @Test
    void spearmanUsesMeanRanksForTies() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, EnsembleTrainer.ranks(new double[] {0.1, 0.5, 0.5, 0.9}));
        assertEquals(1.0, EnsembleTrainer.pearson(EnsembleTrainer.ranks(new double[] {1, 5, 9}), EnsembleTrainer.ranks(new double[] {2, 3, 100})), 1e-12);
    }
}
