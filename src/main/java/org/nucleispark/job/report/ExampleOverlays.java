package org.nucleispark.job.report;

import org.nucleispark.job.evaluate.EvaluateJob;
import org.nucleispark.store.CurrentResults;
import org.nucleispark.store.GroundTruthReader;
import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nucleispark.image.Image;
import org.nucleispark.image.LabelImage;
import org.nucleispark.io.GroundTruthItem;
import org.nucleispark.io.Rle;
import org.nucleispark.report.BestWorst;
import org.nucleispark.report.DisplayImage;
import org.nucleispark.report.OverlayRenderer;

/**
 * The best and worst images of one evaluation with their true positives, false positives and false
 * negatives at IoU 0.7 drawn as contours ({@link OverlayRenderer}), written as PNGs at the image's
 * own size. Matches come from the evaluation's nuclei/ and predictions/ tables, so the colours agree
 * with its figures; the pixels are read again from the input image, the ground truth and the segment
 * output's instances.
 */
final class ExampleOverlays {
    static final int PER_END = 3;

    /** A written overlay: its file (relative to the report), the image and its figures. */
    record Overlay(String file, boolean best, String imageId, double score, int tp, int fp, int fn) {}

    private final SparkSession spark;
    private final SourceImages images;
    private final GroundTruthReader truthReader;

    ExampleOverlays(SparkSession spark, SourceImages images, GroundTruthReader truthReader) {
        this.spark = spark;
        this.images = images;
        this.truthReader = truthReader;
    }

    /** @param prefix file name prefix, unique per evaluation (e.g. "e1") */
    List<Overlay> write(EvaluationRun run, String prefix, ReportFiles files) throws IOException {
        Dataset<Row> perImage = run.table(spark, "per_image");
        Dataset<Row> nuclei = run.table(spark, "nuclei");
        Dataset<Row> predictions = run.table(spark, "predictions");
        if (perImage == null || nuclei == null || predictions == null || run.predictions() == null || run.groundTruth() == null) {
            return List.of();
        }
        Map<String, EvaluationRun.ImageSource> sources = run.imageSources(spark);
        Map<String, Row> figures = new HashMap<>();
        List<BestWorst.ImageScore> scores = new ArrayList<>();
        for (Row r : perImage.select("image_id", "score", "n_true", "tp_at_0_7", "fp_at_0_7", "fn_at_0_7").collectAsList()) {
            // only images that segment read can be shown; a missing one is in the figures all the same
            if (!sources.containsKey(r.getString(0))) continue;
            figures.put(r.getString(0), r);
            scores.add(new BestWorst.ImageScore(r.getString(0), r.getDouble(1), r.getInt(2)));
        }
        BestWorst chosen = BestWorst.of(scores, PER_END);
        List<String> ids = new ArrayList<>();
        chosen.best().forEach(s -> ids.add(s.imageId()));
        chosen.worst().forEach(s -> ids.add(s.imageId()));
        if (ids.isEmpty()) return List.of();

        Map<String, Set<Integer>> trueMatched = matched(nuclei, "nucleus_id", ids);
        Map<String, Set<Integer>> predMatched = matched(predictions, "instance_id", ids);
        Map<String, List<Row>> instances = instances(run, ids);
        Map<String, GroundTruthItem> truth = new HashMap<>();
        for (GroundTruthItem g : EvaluateJob.listTruth(run.groundTruth(), spark.sparkContext().hadoopConfiguration())) {
            if (ids.contains(g.imageId())) truth.put(g.imageId(), g);
        }

        List<Overlay> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            boolean best = i < chosen.best().size();
            int rank = best ? i + 1 : i - chosen.best().size() + 1;
            String file = "overlays/" + prefix + "-" + (best ? "best" : "worst") + "-" + rank + ".png";
            Image image = images.load(sources.get(id));
            LabelImage t = truthReader.read(truth.get(id));
            int[] pred = paint(instances.getOrDefault(id, List.of()), image.width(), image.height());
            Set<Integer> tm = trueMatched.getOrDefault(id, Set.of());
            Set<Integer> pm = predMatched.getOrDefault(id, Set.of());
            byte[] rgb = OverlayRenderer.render(DisplayImage.rgb(image), image.width(), image.height(),
                    t.labels(), tm::contains, pred, pm::contains, OverlayRenderer.thicknessFor(image.width(), image.height()));
            files.write(file, DisplayImage.png(DisplayImage.buffered(rgb, image.width(), image.height())));
            Row f = figures.get(id);
            out.add(new Overlay(file, best, id, f.getDouble(1), f.getInt(3), f.getInt(4), f.getInt(5)));
        }
        return out;
    }

    private static Map<String, Set<Integer>> matched(Dataset<Row> table, String idColumn, List<String> ids) {
        Map<String, Set<Integer>> out = new HashMap<>();
        for (Row r : table.where(col("image_id").isin(ids.toArray()).and(col("matched_at_0_7")))
                .select("image_id", idColumn).collectAsList()) {
            out.computeIfAbsent(r.getString(0), k -> new HashSet<>()).add(r.getInt(1));
        }
        return out;
    }

    private Map<String, List<Row>> instances(EvaluationRun run, List<String> ids) {
        Dataset<Row> all = CurrentResults.of(spark, run.predictions()).instances();
        Map<String, List<Row>> out = new HashMap<>();
        if (all == null) return out;
        Dataset<Row> chosen = all.where(col("image_id").isin(ids.toArray()));
        if (!run.modelVersions().isEmpty()) chosen = chosen.where(col("model_version").isin(run.modelVersions().toArray()));
        for (Row r : chosen.select("image_id", "instance_id", "rle").collectAsList()) {
            out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private static int[] paint(List<Row> instances, int w, int h) {
        int[] labels = new int[w * h];
        for (Row r : instances) Rle.paint(r.getString(2), r.getInt(1), labels, w, h);
        return labels;
    }
}
