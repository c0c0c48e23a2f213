package org.nucleispark.job.train;

import org.nucleispark.store.GroundTruthReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.nucleispark.ensemble.Candidate;
import org.nucleispark.ensemble.Candidates;
import org.nucleispark.ensemble.ImageCandidates;
import org.nucleispark.ensemble.IntensityFeatures;
import org.nucleispark.image.DecodeResult;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.image.LabelImage;
import org.nucleispark.io.Rle;
import org.nucleispark.io.SerializableConfiguration;
import org.nucleispark.image.Segmentation;

/**
 * Per labelled image: both models' instances (from a segment output) become candidates with
 * features, IoU targets and overlap statistics. Rows: image_id, mask_paths, label_path, width,
 * height, path (the input image), instances = list of (model, instance_id, rle, score).
 */
final class EnsembleTrainingPartition implements FlatMapFunction<Iterator<Row>, ImageCandidates> {
    static final List<String> MODELS = List.of("unet", "maskrcnn");
    private final GroundTruthReader truthReader;
    private final boolean intensity;
    private final List<String> features;

    /**
     * @param intensity also compute {@link IntensityFeatures}, which needs each input image decoded
     * @param features  the feature names, in order (model.json's)
     */
    EnsembleTrainingPartition(SerializableConfiguration conf, boolean intensity, List<String> features) {
        this.truthReader = new GroundTruthReader(conf);
        this.intensity = intensity;
        this.features = List.copyOf(features);
    }

    @Override
    public Iterator<ImageCandidates> call(Iterator<Row> rows) throws IOException {
        List<ImageCandidates> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            String id = r.getAs("image_id");
            LabelImage truth = truthReader.read(r);
            int w = r.<Integer>getAs("width");
            int h = r.<Integer>getAs("height");
            if (w != truth.width() || h != truth.height()) {
                throw new IllegalArgumentException("predictions for " + id + " are " + w + "x" + h
                        + " but its ground truth is " + truth.width() + "x" + truth.height());
            }
            List<Row> instances = r.getList(r.fieldIndex("instances"));
            List<Candidate> candidates = new ArrayList<>();
            for (String model : MODELS) candidates.addAll(Candidates.of(model, paint(instances, model, w, h)));
            out.add(ImageCandidates.of(id, candidates, truth, intensity ? intensityPlane(r) : null, features));
        }
        return out.iterator();
    }

    private float[] intensityPlane(Row r) throws IOException {
        String path = r.getAs("path");
        DecodeResult decoded = new ImageDecoder().decode(path, truthReader.bytes(path));
        if (!decoded.isOk()) throw new IOException("cannot decode " + path + " for intensity features: " + decoded.error());
        return IntensityFeatures.plane(decoded.frames().get(0).image());
    }

    /** One model's instances of the image as its label image, with each instance's score. */
    static Segmentation paint(List<Row> instances, String model, int w, int h) {
        int[] labels = new int[w * h];
        List<Double> scores = new ArrayList<>();
        scores.add(Double.NaN);
        if (instances != null) {
            for (Row i : instances) {
                if (!model.equals(i.getString(0))) continue;
                int label = scores.size();
                Rle.paint(i.getString(2), label, labels, w, h);
                scores.add(i.isNullAt(3) ? Double.NaN : i.getDouble(3));
            }
        }
        return new Segmentation(new LabelImage(w, h, labels), scores.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
