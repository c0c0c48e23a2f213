package org.nucleispark.job.evaluate;

import org.nucleispark.store.GroundTruthReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.nucleispark.image.LabelImage;
import org.nucleispark.io.Rle;
import org.nucleispark.io.SerializableConfiguration;
import org.nucleispark.measure.InstanceFeatures;
import org.nucleispark.measure.ShapeMeasurer;
import org.nucleispark.metrics.BestMatches;
import org.nucleispark.metrics.ImageEvaluation;
import org.nucleispark.metrics.OverlapTable;
import org.nucleispark.metrics.TruthClusters;
import org.nucleispark.image.Segmentation;
import java.io.Serializable;

/**
 * Scores each ground-truth image against its prediction. Rows: image_id, mask_paths, label_path
 * (ground truth), then the prediction's width, height, status, model, model_version and list of
 * (instance_id, rle, source_model); the prediction columns are null when segment produced nothing for
 * that image. One overlap table per image feeds both the image's figures and its per-instance rows.
 */
final class EvaluatePartition implements FlatMapFunction<Iterator<Row>, EvaluatePartition.Scored> {
    private final GroundTruthReader truthReader;

    EvaluatePartition(SerializableConfiguration conf) {
        this.truthReader = new GroundTruthReader(conf);
    }

    /**
     * One image's figures, whether segment had produced a usable prediction for it, the model that
     * did (null when missing), and its rows of nuclei/ and predictions/ (EvaluationSchemas).
     */
    record Scored(ImageEvaluation evaluation, String predictionStatus, String model, String modelVersion,
                  List<Row> nuclei, List<Row> predictions) implements Serializable {
        /** The figures alone, for the driver: the instance rows stay on the executors. */
        Scored withoutRows() {
            return new Scored(evaluation, predictionStatus, model, modelVersion, List.of(), List.of());
        }
    }

    @Override
    public Iterator<Scored> call(Iterator<Row> rows) throws IOException {
        List<Scored> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            String id = r.getAs("image_id");
            LabelImage truth = truthReader.read(r);
            String status = r.getAs("status");
            String model = r.getAs("model");
            Map<Integer, String> sources = new HashMap<>();
            LabelImage pred;
            if (status == null) {
                status = "missing";
                pred = LabelImage.empty(truth.width(), truth.height());
            } else if (!status.equals("ok")) {
                pred = LabelImage.empty(truth.width(), truth.height());
            } else {
                pred = paint(r, truth, model, sources);
            }
            OverlapTable table = OverlapTable.of(truth, pred);
            BestMatches best = BestMatches.of(table);
            out.add(new Scored(ImageEvaluation.of(id, table), status, model, r.getAs("model_version"),
                    nucleusRows(id, truth, table, best), predictionRows(id, table, best, sources)));
        }
        return out.iterator();
    }

    private static List<Row> nucleusRows(String id, LabelImage truth, OverlapTable table, BestMatches best) {
        int[] clusters = TruthClusters.sizes(truth);
        List<Row> rows = new ArrayList<>(table.trueCount());
        // ShapeMeasurer lists labels in ascending order, as the table does
        List<InstanceFeatures> shapes = ShapeMeasurer.measure(Segmentation.withoutScores(truth));
        for (int i = 0; i < shapes.size(); i++) {
            InstanceFeatures f = shapes.get(i);
            rows.add(RowFactory.create(id, f.label(), f.area(), f.eccentricity(), clusters[f.label()],
                    best.trueBestIou()[i], best.trueMatched()[i]));
        }
        return rows;
    }

    private static List<Row> predictionRows(String id, OverlapTable table, BestMatches best, Map<Integer, String> sources) {
        int[] labels = table.predLabels();
        List<Row> rows = new ArrayList<>(labels.length);
        for (int i = 0; i < labels.length; i++) {
            rows.add(RowFactory.create(id, labels[i], sources.get(labels[i]), best.predBestIou()[i], best.predMatched()[i]));
        }
        return rows;
    }

    /** Paints the predicted instances and records each one's source model (the image's model when it has none). */
    private static LabelImage paint(Row r, LabelImage truth, String model, Map<Integer, String> sources) {
        int w = r.<Integer>getAs("width");
        int h = r.<Integer>getAs("height");
        if (w != truth.width() || h != truth.height()) {
            throw new IllegalArgumentException("prediction for " + r.getAs("image_id") + " is " + w + "x" + h
                    + " but its ground truth is " + truth.width() + "x" + truth.height());
        }
        int[] labels = new int[w * h];
        List<Row> instances = r.getList(r.fieldIndex("instances"));
        if (instances != null) {
            for (Row i : instances) {
                Rle.paint(i.getString(1), i.getInt(0), labels, w, h);
                sources.put(i.getInt(0), i.isNullAt(2) ? model : i.getString(2));
            }
        }
        return new LabelImage(w, h, labels);
    }
}
