package org.nucleispark.job;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.nucleispark.image.DecodeResult;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.image.LabelImage;
import org.nucleispark.io.GroundTruthMasks;
import org.nucleispark.io.LabelPng;
import org.nucleispark.io.Rle;
import org.nucleispark.io.SerializableConfiguration;
import org.nucleispark.metrics.ImageEvaluation;

/**
 * Scores each ground-truth image against its prediction. Rows: image_id, mask_paths, label_path
 * (ground truth), then the prediction's width, height, status and list of (instance_id, rle); the
 * prediction columns are null when segment produced nothing for that image.
 */
final class EvaluatePartition implements FlatMapFunction<Iterator<Row>, EvaluatePartition.Scored> {
    private final SerializableConfiguration conf;
    /** Not serializable; built on the executor. */
    private transient ImageDecoder decoder;

    EvaluatePartition(SerializableConfiguration conf) {
        this.conf = conf;
    }

    /** One image's figures plus whether segment had produced a usable prediction for it. */
    record Scored(ImageEvaluation evaluation, String predictionStatus) implements java.io.Serializable {}

    @Override
    public Iterator<Scored> call(Iterator<Row> rows) throws IOException {
        if (decoder == null) decoder = new ImageDecoder();
        List<Scored> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            String id = r.getAs("image_id");
            LabelImage truth = readTruth(r);
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

    private LabelImage readTruth(Row r) throws IOException {
        List<String> maskPaths = r.getList(r.fieldIndex("mask_paths"));
        if (maskPaths != null && !maskPaths.isEmpty()) {
            List<GroundTruthMasks.Mask> masks = new ArrayList<>(maskPaths.size());
            for (String p : maskPaths) masks.add(new GroundTruthMasks.Mask(p, read(p)));
            // DSB ground truth has no image size of its own: every mask has the image's size
            DecodeResult first = decoder.decode(maskPaths.get(0), masks.get(0).bytes());
            if (!first.isOk()) throw new IOException("ground-truth mask " + maskPaths.get(0) + ": " + first.error());
            Image size = first.frames().get(0).image();
            GroundTruthMasks.Result truth = GroundTruthMasks.build(size.width(), size.height(), masks, decoder);
            if (!truth.isOk()) throw new IOException("ground truth of " + r.getAs("image_id") + ": " + truth.error());
            return truth.labels();
        }
        return LabelPng.read(read(r.getAs("label_path")));
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

    private byte[] read(String path) throws IOException {
        Path p = new Path(path);
        try (InputStream in = p.getFileSystem(conf.get()).open(p)) {
            return in.readAllBytes();
        }
    }
}
