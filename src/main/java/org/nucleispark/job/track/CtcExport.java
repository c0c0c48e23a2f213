package org.nucleispark.job.track;

import org.nucleispark.runtime.SetupException;
import org.nucleispark.store.CurrentResults;
import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nucleispark.image.LabelImage;
import org.nucleispark.io.Rle;
import org.nucleispark.track.Spot;
import org.nucleispark.track.Track;
import org.nucleispark.track.Tracking;
import org.nucleispark.track.ctc.CtcEvaluator;
import org.nucleispark.track.ctc.CtcFiles;
import org.nucleispark.track.ctc.CtcScores;
import org.nucleispark.track.ctc.CtcSequence;
import org.nucleispark.track.ctc.CtcTracks;
import scala.collection.JavaConverters;

/**
 * {@code export --format ctc} and {@code evaluate-tracks}: the latest tracking run's current tracks
 * as CTC results, one per sequence (model_version, experiment, well, field, channel). The masks are
 * painted on the driver from the instances' RLEs, a sequence at a time (export is a small, final
 * step; a sequence's masks are frames × 2 bytes per pixel).
 */
public final class CtcExport {
    private CtcExport() {}

    /** Sequence name (its keys joined by '_', null keys left out) → its CTC result. */
    static Map<String, CtcSequence> sequences(SparkSession spark, String output) {
        Dataset<Row> runs = spark.read().parquet(output + "/track_runs");
        String version = runs.orderBy(col("run_id").desc()).first().getAs("track_version");
        CurrentResults current = CurrentResults.of(spark, output);
        var imageKeys = JavaConverters.asScalaBuffer(List.of("image_id", "model_version")).toSeq();
        var instanceKeys = JavaConverters.asScalaBuffer(List.of("image_id", "model_version", "instance_id")).toSeq();
        Dataset<Row> ids = TrackJob.current(spark, output, "track_ids").where(col("track_version").equalTo(version)).drop("run_id");
        List<Row> rows = current.instances().select("image_id", "model_version", "instance_id", "centroid_x", "centroid_y", "area", "rle")
                .join(current.images().select(col("image_id"), col("model_version"), col("frame"), col("width"), col("height"), col("experiment"),
                        col("well"), col("field"), col("channel"), TrackJob.stack().as("stack")), imageKeys)
                .join(ids, instanceKeys).collectAsList();
        List<Row> trackRows = TrackJob.current(spark, output, "tracks").where(col("track_version").equalTo(version)).collectAsList();
        Map<String, List<Row>> bySequence = new LinkedHashMap<>();
        for (Row r : rows) bySequence.computeIfAbsent(name(r), k -> new ArrayList<>()).add(r);
        Map<String, List<Track>> tracksBySequence = new LinkedHashMap<>();
        for (Row r : trackRows) {
            Integer parent = r.getAs("parent_track_id");
            tracksBySequence.computeIfAbsent(name(r), k -> new ArrayList<>()).add(new Track(r.getAs("track_id"), r.getAs("start_frame"),
                    r.getAs("end_frame"), r.getAs("n_frames"), parent == null ? 0 : parent, r.getAs("generation"),
                    r.getAs("mean_speed"), r.getAs("net_displacement"), r.getAs("gap_count")));
        }
        Map<String, CtcSequence> out = new TreeMap<>();
        for (var e : bySequence.entrySet()) {
            List<Row> seq = e.getValue();
            List<Spot> spots = new ArrayList<>();
            int[] trackOf = new int[seq.size()];
            for (int i = 0; i < seq.size(); i++) {
                Row r = seq.get(i);
                spots.add(new Spot(r.<Integer>getAs("frame"), r.<Double>getAs("centroid_x"), r.<Double>getAs("centroid_y"), r.<Integer>getAs("area")));
                trackOf[i] = r.getAs("track_id");
            }
            List<Track> tracks = new ArrayList<>(tracksBySequence.getOrDefault(e.getKey(), List.of()));
            tracks.sort(Comparator.comparingInt(Track::startFrame).thenComparingInt(Track::trackId));
            CtcTracks.Labels labels = CtcTracks.of(spots, new Tracking(trackOf, tracks, 0));
            SortedMap<Integer, int[]> pixels = new TreeMap<>();
            int w = seq.get(0).getAs("width"), h = seq.get(0).getAs("height");
            for (int i = 0; i < seq.size(); i++) {
                Row r = seq.get(i);
                int[] px = pixels.computeIfAbsent(r.<Integer>getAs("frame"), f -> new int[w * h]);
                Rle.paint(r.getAs("rle"), labels.ctcLabelOfSpot()[i], px, w, h);
            }
            SortedMap<Integer, LabelImage> frames = new TreeMap<>();
            pixels.forEach((f, px) -> frames.put(f, new LabelImage(w, h, px)));
            out.put(e.getKey(), new CtcSequence(frames, labels.tracks()));
        }
        return out;
    }

    private static String name(Row r) {
        StringBuilder sb = new StringBuilder();
        for (String k : List.of("model_version", "experiment", "well", "field", "channel")) {
            Object v = r.getAs(k);
            if (v != null) sb.append(sb.length() > 0 ? "_" : "").append(v);
        }
        // a keyless stack is named by its file (without folders and extension)
        String stack = java.util.Arrays.asList(r.schema().fieldNames()).contains("stack") ? r.getAs("stack") : null;
        if (stack != null) sb.append('_').append(stack.substring(stack.lastIndexOf('/') + 1).replaceFirst("\\.[^.]*$", ""));
        return sb.toString().replaceAll("[^A-Za-z0-9._=-]", "-");
    }

    /** With one sequence, straight into dir; otherwise one folder per sequence. */
    public static int export(SparkSession spark, String output, Path dir) throws IOException {
        Map<String, CtcSequence> sequences = sequences(spark, output);
        for (var e : sequences.entrySet()) CtcFiles.writeResult(sequences.size() == 1 ? dir : dir.resolve(e.getKey()), e.getValue());
        return sequences.size();
    }

    public static CtcScores evaluate(SparkSession spark, String output, Path groundTruth) throws IOException {
        Map<String, CtcSequence> sequences = sequences(spark, output);
        if (sequences.size() != 1) throw new SetupException("evaluate-tracks needs exactly one sequence in " + output + "; found " + sequences.keySet());
        return CtcEvaluator.evaluate(CtcFiles.readGroundTruth(groundTruth), sequences.values().iterator().next(),
                CtcFiles.readSegmentation(groundTruth));
    }
}
