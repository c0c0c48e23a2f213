package org.nucleispark.job.train;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.nucleispark.ensemble.Candidate;
import org.nucleispark.ensemble.ImageCandidates;
import org.nucleispark.ensemble.InstanceNms;
import org.nucleispark.ensemble.SelectionScore;
import org.nucleispark.io.Rle;
import org.nucleispark.postprocess.InstanceCleaner;
import org.nucleispark.image.Segmentation;

/**
 * The ensemble's out-of-fold predictions as a segment output: for every training image, the
 * candidates that NMS keeps under the predicted IoUs of the cross-validation model that never saw
 * the image, painted as {@code segment --model ensemble} paints them. {@code evaluate} and
 * {@code report} then score the ensemble out of fold exactly like its members, without running the
 * two CNNs again (their out-of-fold instances are the candidates).
 *
 * <p>Written in the plain layout (images/ and instances/ Parquet, no run ledger), which the readers
 * take as one complete run.
 */
final class OofEnsembleOutput {
    private static final StructType IMAGES = createStructType(List.of(
            createStructField("image_id", StringType, false),
            createStructField("path", StringType, true),
            createStructField("frame", IntegerType, true),
            createStructField("width", IntegerType, false),
            createStructField("height", IntegerType, false),
            createStructField("status", StringType, false),
            createStructField("n_nuclei", IntegerType, false),
            createStructField("model", StringType, false),
            createStructField("model_version", StringType, false)));
    private static final StructType INSTANCES = createStructType(List.of(
            createStructField("image_id", StringType, false),
            createStructField("instance_id", IntegerType, false),
            createStructField("model", StringType, false),
            createStructField("model_version", StringType, false),
            createStructField("score", DoubleType, true),
            createStructField("rle", StringType, false),
            createStructField("source_model", StringType, false),
            createStructField("predicted_iou", DoubleType, false)));

    private OofEnsembleOutput() {}

    /**
     * @param paths     each image's input path (for overlays), by image id; may lack some
     * @param predicted {@code predicted[i][j]}: out-of-fold predicted IoU of image i's candidate j
     */
    static void write(SparkSession spark, String output, String version, List<ImageCandidates> images,
                      Map<String, String> paths, double[][] predicted, double maxOverlap, double minPredictedIou) {
        List<Row> imageRows = new ArrayList<>();
        List<Row> instanceRows = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            ImageCandidates image = images.get(i);
            Segmentation painted = paint(image, predicted[i], maxOverlap, minPredictedIou);
            Map<Integer, String> rles = Rle.encodeAll(painted.labels());
            int n = painted.labels().maxLabel();
            // the first frame: training images are single images (the DSB layout)
            imageRows.add(RowFactory.create(image.imageId(), paths.get(image.imageId()), null, image.width(), image.height(), "ok", n,
                    "ensemble", version));
            for (int label = 1; label <= n; label++) {
                double score = painted.score(label);
                instanceRows.add(RowFactory.create(image.imageId(), label, "ensemble", version, Double.isNaN(score) ? null : score,
                        rles.get(label), painted.source(label, "ensemble"), painted.predictedIou(label)));
            }
        }
        spark.createDataFrame(imageRows, IMAGES).write().mode(SaveMode.Overwrite).parquet(output + "/images");
        spark.createDataFrame(instanceRows, INSTANCES).write().mode(SaveMode.Overwrite).parquet(output + "/instances");
    }

    /** The kept candidates painted as serving paints them ({@link InstanceNms#paint}). */
    static Segmentation paint(ImageCandidates image, double[] predicted, double maxOverlap, double minPredictedIou) {
        List<Integer> kept = SelectionScore.select(image, predicted, maxOverlap, minPredictedIou);
        List<Candidate> chosen = new ArrayList<>();
        double[] iou = new double[kept.size()];
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < kept.size(); k++) {
            ImageCandidates.Entry e = image.candidates().get(kept.get(k));
            // painting reads only pixels, source and confidence; shape features are not needed again
            chosen.add(new Candidate(e.source(), Rle.pixels(e.rle(), image.width(), image.height()), null, e.confidence()));
            iou[k] = predicted[kept.get(k)];
            order.add(k);
        }
        return InstanceNms.paint(chosen, order, iou, image.width(), image.height(), InstanceCleaner.DEFAULT_MIN_AREA);
    }
}
