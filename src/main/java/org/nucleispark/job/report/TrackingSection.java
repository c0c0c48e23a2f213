package org.nucleispark.job.report;

import org.nucleispark.job.track.ExportJob;

import org.nucleispark.job.track.TrackJob;

import org.nucleispark.runtime.SetupException;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.nucleispark.image.Image;
import org.nucleispark.report.ChartStyle;
import org.nucleispark.report.CountChart;
import org.nucleispark.report.DisplayImage;
import org.nucleispark.report.HtmlPage;
import org.nucleispark.report.HtmlPage.Cell;
import org.nucleispark.report.TrackPaths;
import org.nucleispark.report.UniqueNames;

/**
 * The report's tracking section, for segment outputs that have tracks (segment --track or track):
 * a table per output, the track length histogram, divisions per frame, and a few tracks drawn over
 * their first frame. Absent when no output has tracks. Reads the latest tracking per model version
 * (as {@link TrackedInstances}).
 */
final class TrackingSection {
    /** Sequences drawn per output, and tracks per drawing. */
    static final int SEQUENCES_DRAWN = 3, TRACKS_DRAWN = 12;
    private static final List<String> KEYS = List.of("model_version", "experiment", "well", "field", "channel", "stack");

    private TrackingSection() {}

    /** @return whether the section was written (some output has tracks) */
    static boolean write(HtmlPage page, SparkSession spark, List<String> outputs, ReportFiles files, SourceImages images) {
        Map<String, String> named = new LinkedHashMap<>();
        Map<String, List<Row>> tracksByOutput = new LinkedHashMap<>();
        List<String> distinct = outputs.stream().filter(Objects::nonNull).distinct().toList();
        List<String> names = UniqueNames.of(distinct.stream().map(TrackingSection::folderName).toList());
        for (int i = 0; i < distinct.size(); i++) {
            Dataset<Row> tracks = latestTracks(spark, distinct.get(i));
            if (tracks == null) continue;
            List<Row> rows = tracks.collectAsList();
            if (rows.isEmpty()) continue;
            named.put(names.get(i), distinct.get(i));
            tracksByOutput.put(names.get(i), rows);
        }
        if (tracksByOutput.isEmpty()) return false;
        Map<String, java.awt.Color> colours = new LinkedHashMap<>();
        int c = 0;
        for (String n : tracksByOutput.keySet()) colours.put(n, ChartStyle.colour(c++));

        page.heading(2, "Tracking");
        page.paragraph("Nuclei linked from frame to frame (LAP linking with gap closing and divisions, docs/tracking.md), "
                + "from each segment output's latest tracking per model version. A track is one nucleus from its first "
                + "to its last frame; at a division the mother's track ends and two daughter tracks start.");
        List<List<Cell>> rows = new ArrayList<>();
        tracksByOutput.forEach((name, tracks) -> rows.add(summaryRow(name, named.get(name), tracks)));
        page.table(List.of("segment output", "sequences", "tracks", "divisions", "median length (frames)", "closed gaps",
                "mean speed (px/frame)", "track versions"), rows);

        lengthHistogram(page, files, tracksByOutput, colours);
        divisionsPerFrame(page, files, tracksByOutput, colours);
        drawings(page, spark, files, images, named, tracksByOutput);
        return true;
    }

    /** Current tracks/ rows of the latest tracking run per model version; null without tracking. */
    static Dataset<Row> latestTracks(SparkSession spark, String output) {
        Dataset<Row> tracks;
        try {
            tracks = TrackJob.current(spark, output, "tracks");
        } catch (Exception e) {
            return null; // an output without (readable) tracking tables has no section
        }
        if (tracks == null) return null;
        if (!Arrays.asList(tracks.columns()).contains("stack")) tracks = tracks.withColumn("stack", org.apache.spark.sql.functions.lit(null).cast("string"));
        return tracks.withColumn("latest_tracking", max("run_id").over(Window.partitionBy("model_version")))
                .where(col("run_id").equalTo(col("latest_tracking"))).drop("latest_tracking");
    }

    private static List<Cell> summaryRow(String name, String uri, List<Row> tracks) {
        java.util.Set<List<Object>> sequences = new java.util.HashSet<>();
        java.util.Set<List<Object>> mothers = new java.util.HashSet<>();
        java.util.SortedSet<String> versions = new java.util.TreeSet<>();
        int[] lengths = new int[tracks.size()];
        long gaps = 0;
        double speed = 0;
        for (int i = 0; i < tracks.size(); i++) {
            Row r = tracks.get(i);
            List<Object> seq = key(r);
            sequences.add(seq);
            Integer parent = r.getAs("parent_track_id");
            if (parent != null) {
                List<Object> m = new ArrayList<>(seq);
                m.add(parent);
                mothers.add(m);
            }
            versions.add(r.getAs("track_version"));
            lengths[i] = r.getAs("n_frames");
            gaps += r.<Integer>getAs("gap_count");
            speed += r.<Double>getAs("mean_speed");
        }
        Arrays.sort(lengths);
        double median = lengths.length % 2 == 1 ? lengths[lengths.length / 2] : (lengths[lengths.length / 2 - 1] + lengths[lengths.length / 2]) / 2.0;
        return List.of(Cell.text(name + " (" + uri + ")"), Cell.number(Integer.toString(sequences.size())),
                Cell.number(Integer.toString(tracks.size())), Cell.number(Integer.toString(mothers.size())),
                Cell.number(String.format(Locale.ROOT, "%.1f", median)), Cell.number(Long.toString(gaps)),
                Cell.number(String.format(Locale.ROOT, "%.2f", speed / tracks.size())), Cell.text(String.join(", ", versions)));
    }

    private static List<Object> key(Row r) {
        List<Object> k = new ArrayList<>();
        for (String s : KEYS) k.add(r.getAs(s));
        return k;
    }

    /** Bins 1, 2–3, 4–7, 8–15 …: track lengths spread over orders of magnitude (blinks to whole movies). */
    static int bin(int nFrames) {
        return 31 - Integer.numberOfLeadingZeros(Math.max(1, nFrames));
    }

    static String binLabel(int b) {
        int lo = 1 << b, hi = (1 << (b + 1)) - 1;
        return lo == hi ? Integer.toString(lo) : lo + "–" + hi;
    }

    private static void lengthHistogram(HtmlPage page, ReportFiles files, Map<String, List<Row>> tracksByOutput,
                                        Map<String, java.awt.Color> colours) {
        int maxBin = 0;
        for (List<Row> tracks : tracksByOutput.values()) {
            for (Row r : tracks) maxBin = Math.max(maxBin, bin(r.getAs("n_frames")));
        }
        List<String> categories = new ArrayList<>();
        for (int b = 0; b <= maxBin; b++) categories.add(binLabel(b));
        Map<String, long[]> counts = new LinkedHashMap<>();
        final int bins = maxBin + 1;
        tracksByOutput.forEach((name, tracks) -> {
            long[] n = new long[bins];
            for (Row r : tracks) n[bin(r.getAs("n_frames"))]++;
            counts.put(name, n);
        });
        files.write("plots/track_lengths.png", ChartStyle.png(CountChart.categories("Track length",
                "frames from a track's first to its last (bins double in width)", "tracks", categories, counts, colours)));
        page.plot("plots/track_lengths.png", "histogram of track lengths",
                "How long nuclei are followed. Many very short tracks mean broken links (nuclei that move further than "
                        + "--max-link-distance, or are missed for more than --max-gap frames) or flickering false detections; "
                        + "tracks as long as the movie are nuclei followed throughout.");
    }

    private static void divisionsPerFrame(HtmlPage page, ReportFiles files, Map<String, List<Row>> tracksByOutput,
                                          Map<String, java.awt.Color> colours) {
        Map<String, SortedMap<Integer, Long>> perFrame = new LinkedHashMap<>();
        long total = 0;
        for (var e : tracksByOutput.entrySet()) {
            int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
            java.util.Map<List<Object>, Integer> divisionFrame = new java.util.HashMap<>();
            for (Row r : e.getValue()) {
                lo = Math.min(lo, r.<Integer>getAs("start_frame"));
                hi = Math.max(hi, r.<Integer>getAs("end_frame"));
                Integer parent = r.getAs("parent_track_id");
                if (parent == null) continue;
                List<Object> m = key(r);
                m.add(parent);
                divisionFrame.merge(m, r.<Integer>getAs("start_frame"), Math::min);
            }
            SortedMap<Integer, Long> counts = new TreeMap<>();
            for (int f = lo; f <= hi; f++) counts.put(f, 0L);
            for (int f : divisionFrame.values()) counts.merge(f, 1L, Long::sum);
            total += divisionFrame.size();
            perFrame.put(e.getKey(), counts);
        }
        files.write("plots/divisions_per_frame.png", ChartStyle.png(CountChart.perX("Divisions per frame",
                "frame in which the daughters first appear", "divisions", perFrame, colours)));
        page.plot("plots/divisions_per_frame.png", "divisions per frame",
                "When nuclei divide (" + total + " divisions in all). A burst can be a synchronised population; "
                        + "divisions in every frame of a slow-dividing line are more likely split nuclei taken for daughters.");
    }

    private static void drawings(HtmlPage page, SparkSession spark, ReportFiles files, SourceImages images, Map<String, String> named,
                                 Map<String, List<Row>> tracksByOutput) {
        page.paragraph("A few sequences with their longest tracks drawn over their first frame: a line is a nucleus's path "
                + "(its centroid frame by frame), the dot and number mark where and as which track it starts.");
        int o = 0;
        for (var e : tracksByOutput.entrySet()) {
            o++;
            List<List<Object>> sequences = e.getValue().stream().map(TrackingSection::key).distinct()
                    .sorted((a, b) -> String.valueOf(a).compareTo(String.valueOf(b))).limit(SEQUENCES_DRAWN).toList();
            Dataset<Row> instances;
            try {
                instances = ExportJob.flatInstances(spark, named.get(e.getKey())).where(col("track_id").isNotNull())
                        .withColumn("stack", TrackJob.stack());
            } catch (SetupException ex) {
                continue;
            }
            List<HtmlPage.Figure> figures = new ArrayList<>();
            for (int s = 0; s < sequences.size(); s++) {
                List<Object> seq = sequences.get(s);
                Column match = null;
                for (int k = 0; k < KEYS.size(); k++) {
                    Column m = col(KEYS.get(k)).eqNullSafe(seq.get(k));
                    match = match == null ? m : match.and(m);
                }
                List<Row> rows = instances.where(match).select("image_id", "path", "frame", "track_id", "centroid_x", "centroid_y")
                        .orderBy("frame").collectAsList();
                if (rows.isEmpty()) continue;
                String file = "tracks/o" + o + "_s" + (s + 1) + ".png";
                try {
                    String caption = draw(rows, e.getValue(), seq, images, files, file);
                    figures.add(new HtmlPage.Figure(file, "tracks of " + sequenceName(seq), e.getKey() + ", " + sequenceName(seq) + ": " + caption));
                } catch (IOException ex) {
                    page.note("No drawing for " + sequenceName(seq) + ": " + ex.getMessage());
                }
            }
            if (!figures.isEmpty()) {
                page.heading(3, e.getKey());
                page.gallery(figures);
            }
        }
    }

    private static String draw(List<Row> rows, List<Row> tracks, List<Object> seq, SourceImages images, ReportFiles files,
                               String file) throws IOException {
        Row first = rows.get(0);
        int firstFrame = first.getAs("frame");
        String imageId = first.getAs("image_id");
        int page = imageId.contains("#") ? Integer.parseInt(imageId.substring(imageId.lastIndexOf('#') + 1)) : 0;
        Image frame = images.load(new EvaluationRun.ImageSource(first.getAs("path"), page));
        // tracks of this sequence starting in its first frame, longest first (all tracks if none does)
        List<Row> own = tracks.stream().filter(t -> key(t).equals(seq)).toList();
        List<Row> starting = own.stream().filter(t -> t.<Integer>getAs("start_frame") == firstFrame).toList();
        List<Integer> chosen = (starting.isEmpty() ? own : starting).stream()
                .sorted((a, b) -> Integer.compare(b.<Integer>getAs("n_frames"), a.<Integer>getAs("n_frames")))
                .limit(TRACKS_DRAWN).map(t -> t.<Integer>getAs("track_id")).toList();
        Map<Integer, List<double[]>> points = new TreeMap<>();
        for (Row r : rows) {
            int id = r.getAs("track_id");
            if (chosen.contains(id)) points.computeIfAbsent(id, k -> new ArrayList<>()).add(new double[] {r.getAs("centroid_x"), r.getAs("centroid_y")});
        }
        Map<Integer, double[][]> paths = new LinkedHashMap<>();
        points.forEach((id, p) -> {
            double[][] xy = new double[2][p.size()];
            for (int i = 0; i < p.size(); i++) {
                xy[0][i] = p.get(i)[0];
                xy[1][i] = p.get(i)[1];
            }
            paths.put(id, xy);
        });
        files.write(file, TrackPaths.png(DisplayImage.rgb(frame), frame.width(), frame.height(), paths));
        return paths.size() + " of " + own.size() + " tracks over frame " + firstFrame;
    }

    private static String sequenceName(List<Object> seq) {
        StringBuilder sb = new StringBuilder();
        for (int k = 1; k < KEYS.size(); k++) {
            Object v = seq.get(k);
            if (v == null) continue;
            String s = k == KEYS.size() - 1 ? String.valueOf(v).substring(String.valueOf(v).lastIndexOf('/') + 1) : String.valueOf(v);
            sb.append(sb.length() > 0 ? " / " : "").append(KEYS.get(k)).append(' ').append(s);
        }
        return sb.length() == 0 ? "the sequence" : sb.toString();
    }

    private static String folderName(String uri) {
        String u = uri.replaceAll("/+$", "");
        return u.substring(u.lastIndexOf('/') + 1);
    }
}
