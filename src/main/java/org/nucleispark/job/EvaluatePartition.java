package org.nucleispark.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.nucleispark.image.LabelImage;
import org.nucleispark.io.Rle;
import org.nucleispark.io.SerializableConfiguration;
import org.nucleispark.metrics.ImageEvaluation;

/**
 * Scores each ground-truth image against its prediction. Rows: image_id, mask_paths, label_path
 * (ground truth), then the prediction's width, height, status and list of (instance_id, rle); the
 * prediction columns are null when segment produced nothing for that image.
 */
final class EvaluatePartition implements FlatMapFunction<Iterator<Row>, EvaluatePartition.Scored> {
    private final GroundTruthReader truthReader;

    EvaluatePartition(SerializableConfiguration conf) {
        this.truthReader = new GroundTruthReader(conf);
    }

    /** One image's figures plus whether segment had produced a usable prediction for it. */
    record Scored(ImageEvaluation evaluation, String predictionStatus) implements java.io.Serializable {}

    @Override
    public Iterator<Scored> call(Iterator<Row> rows) throws IOException {
        List<Scored> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            String id = r.getAs("image_id");
            LabelImage truth = truthReader.read(r);
            String status = r.getAs("status");
            LabelImage pred;
            if (status == null) {
                status = "missing";
                pred = LabelImage.empty(truth.width(), truth.height());
            } else if (!status.equals("ok")) {
                pred = LabelImage.empty(truth.width(), truth.height());
            } else {
                pred = paint(r, truth);
            }
            out.add(new Scored(ImageEvaluation.of(id, truth, pred), status));
        }
        return out.iterator();
    }

    private static LabelImage paint(Row r, LabelImage truth) {
        int w = r.<Integer>getAs("width");
        int h = r.<Integer>getAs("height");
        if (w != truth.width() || h != truth.height()) {
            throw new IllegalArgumentException("prediction for " + r.getAs("image_id") + " is " + w + "x" + h
                    + " but its ground truth is " + truth.width() + "x" + truth.height());
        }
        int[] labels = new int[w * h];
        List<Row> instances = r.getList(r.fieldIndex("instances"));
        if (instances != null) {
            for (Row i : instances) Rle.paint(i.getString(1), i.getInt(0), labels, w, h);
        }
        return new LabelImage(w, h, labels);
    }

}
