package org.nucleispark.job.report;

import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.nucleispark.image.ImageAppearance;
import org.nucleispark.report.ImageTypeLabel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.Serializable;

/**
 * Groups images into types by how they look (MLlib k-means on {@link ImageAppearance}), so that a
 * model's score can be read per type: a model that is good on fluorescence and poor on H&amp;E shows it.
 * The images are decoded again on the executors, one partition per few images.
 */
final class ImageTypes {
    private static final Logger LOG = LoggerFactory.getLogger(ImageTypes.class);
    /** Fixed, so the same corpus gives the same types on every run. */
    static final long SEED = 1L;
    private static final StructType FEATURES = createStructType(List.of(
            createStructField("image_id", StringType, false),
            createStructField("features", new VectorUDT(), false)));

    /** A type: 1 is the largest; its images; an example (the image nearest the centre); words for it. */
    record Type(int number, String label, List<String> imageIds, String exampleId) {}

    private ImageTypes() {}

    /** @param sources the images to group, by id; ones that no longer decode are left out */
    static List<Type> find(SparkSession spark, Map<String, EvaluationRun.ImageSource> sources, int k, SourceImages images) {
        if (sources.isEmpty()) return List.of();
        List<Item> items = new ArrayList<>();
        new TreeMap<>(sources).forEach((id, source) -> items.add(new Item(id, source)));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = Math.max(1, Math.min(items.size(), jsc.defaultParallelism() * 4));
        JavaRDD<Row> rows = jsc.parallelize(items, partitions).mapPartitions(new FeaturePartition(images));
        Dataset<Row> features = spark.createDataFrame(rows, FEATURES).cache();
        try {
            List<Row> all = features.collectAsList();
            if (all.isEmpty()) return List.of();
            int clusters = Math.min(k, all.size());
            List<double[]> centres = new ArrayList<>();
            Map<String, Integer> assigned = new LinkedHashMap<>();
            if (clusters < 2) {
                // k-means needs k >= 2; one image (or --image-types 1) is one type
                centres.add(mean(all));
                for (Row r : all) assigned.put(r.getString(0), 0);
            } else {
                KMeansModel model = new KMeans().setK(clusters).setSeed(SEED).setFeaturesCol("features")
                        .setPredictionCol("type").fit(features);
                for (Vector c : model.clusterCenters()) centres.add(c.toArray());
                for (Row r : model.transform(features).select("image_id", "type").collectAsList()) {
                    assigned.put(r.getString(0), r.getInt(1));
                }
            }
            return types(all, assigned, centres);
        } finally {
            features.unpersist();
        }
    }

    private static List<Type> types(List<Row> all, Map<String, Integer> assigned, List<double[]> centres) {
        Map<Integer, List<Row>> byCluster = new TreeMap<>();
        for (Row r : all) byCluster.computeIfAbsent(assigned.get(r.getString(0)), c -> new ArrayList<>()).add(r);
        List<Map.Entry<Integer, List<Row>>> clusters = new ArrayList<>(byCluster.entrySet());
        // largest first; ties by their first image id, so numbering does not depend on k-means' own order
        clusters.sort(Comparator.<Map.Entry<Integer, List<Row>>>comparingInt(e -> -e.getValue().size())
                .thenComparing(e -> e.getValue().get(0).getString(0)));
        List<Type> out = new ArrayList<>();
        for (Map.Entry<Integer, List<Row>> e : clusters) {
            double[] centre = centres.get(e.getKey());
            List<String> ids = new ArrayList<>();
            String example = null;
            double nearest = Double.POSITIVE_INFINITY;
            for (Row r : e.getValue()) {
                ids.add(r.getString(0));
                double d = Vectors.sqdist(r.<Vector>getAs(1), Vectors.dense(centre));
                if (d < nearest) {
                    nearest = d;
                    example = r.getString(0);
                }
            }
            out.add(new Type(out.size() + 1, ImageTypeLabel.describe(centre), ids, example));
        }
        return out;
    }

    private static double[] mean(List<Row> rows) {
        double[] m = new double[ImageAppearance.SIZE];
        for (Row r : rows) {
            double[] f = r.<Vector>getAs(1).toArray();
            for (int i = 0; i < m.length; i++) m[i] += f[i] / rows.size();
        }
        return m;
    }

    private record Item(String imageId, EvaluationRun.ImageSource source) implements Serializable {}

    /** (image_id, source) → (image_id, features); an image that fails to decode gives no row. */
    private static final class FeaturePartition implements FlatMapFunction<Iterator<Item>, Row> {
        private final SourceImages images;

        FeaturePartition(SourceImages images) {
            this.images = images;
        }

        @Override
        public Iterator<Row> call(Iterator<Item> items) {
            List<Row> out = new ArrayList<>();
            while (items.hasNext()) {
                Item e = items.next();
                try {
                    out.add(RowFactory.create(e.imageId(), Vectors.dense(ImageAppearance.of(images.load(e.source())))));
                } catch (IOException ex) {
                    LOG.warn("image types leave out {}: {}", e.imageId(), ex.getMessage());
                }
            }
            return out.iterator();
        }
    }
}
