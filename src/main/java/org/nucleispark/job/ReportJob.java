package org.nucleispark.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nucleispark.io.SerializableConfiguration;
import org.nucleispark.report.ApCurveChart;
import org.nucleispark.report.BinnedRecall;
import org.nucleispark.report.ChartStyle;
import org.nucleispark.report.DisplayImage;
import org.nucleispark.report.GroupedBarChart;
import org.nucleispark.report.HtmlPage;
import org.nucleispark.report.HtmlPage.Cell;
import org.nucleispark.report.OverlayRenderer;
import org.nucleispark.report.Tertiles;
import org.nucleispark.report.UniqueNames;

/**
 * The report command: one HTML page (index.html) with PNG plots comparing one or more evaluate
 * outputs, for people who would rather look than read metrics.json. Sections, in order: summary
 * table, AP against IoU threshold, recall by nucleus property, scores per image type, the ensemble's
 * sources, example overlays.
 */
public final class ReportJob {
    /** What the report is asked for; parsed once by the CLI. */
    public record Options(List<String> evaluations, String output, int imageTypes, String master) {}

    /** A nucleus property whose tertiles the recall plots use. */
    private record Property(String column, String file, String title, String axis, int decimals, String unit) {}

    private static final List<Property> PROPERTIES = List.of(
            new Property("area", "recall_by_area.png", "nucleus area",
                    "true nucleus area in px² (tertiles of the ground-truth nuclei)", 0, "px²"),
            new Property("eccentricity", "recall_by_eccentricity.png", "nucleus eccentricity",
                    "eccentricity: 0 = round, towards 1 = elongated (tertiles of the ground-truth nuclei)", 2, ""),
            new Property("cluster_size", "recall_by_cluster_size.png", "cluster size",
                    "true nuclei in the cluster (touching or ≤ 4 px apart; tertiles of the ground-truth nuclei)", 0, ""));

    private final Options options;

    public ReportJob(Options options) {
        if (options.evaluations().isEmpty()) throw new SetupException("--evaluations names no evaluate output");
        if (options.imageTypes() < 1) throw new SetupException("--image-types must be at least 1, got " + options.imageTypes());
        this.options = options;
    }

    public int run() {
        // plots and overlays are drawn with Java2D, which needs no display
        System.setProperty("java.awt.headless", "true");
        try (Sessions session = Sessions.open("nucleispark report", options.master())) {
            SparkSession spark = session.spark();
            Configuration conf = spark.sparkContext().hadoopConfiguration();
            List<EvaluationRun> runs = new ArrayList<>();
            for (String uri : options.evaluations()) runs.add(EvaluationRun.read(uri, conf));
            List<String> names = new ArrayList<>();
            runs.forEach(r -> names.add(r.defaultName()));
            List<String> unique = UniqueNames.of(names);
            for (int i = 0; i < runs.size(); i++) runs.get(i).name(unique.get(i));

            ReportFiles files = new ReportFiles(options.output(), conf);
            SourceImages images = new SourceImages(new SerializableConfiguration(conf));
            HtmlPage page = new HtmlPage("Nucleus segmentation report");
            summary(page, runs);
            apCurves(page, runs, files);
            recallByProperty(page, spark, runs, files);
            imageTypes(page, spark, runs, files, images);
            sourceShares(page, spark, runs, files);
            overlays(page, spark, runs, files, images, new GroundTruthReader(new SerializableConfiguration(conf)));
            files.write("index.html", page.render());
            System.out.println("report: " + options.output() + "/index.html (" + page.images().size() + " images)");
            return ExitCodes.OK;
        }
    }

    /** Three decimals, as in the summary table; "–" when undefined. */
    static String metric(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static void summary(HtmlPage page, List<EvaluationRun> runs) {
        page.heading(2, "Summary");
        List<List<Cell>> rows = new ArrayList<>();
        for (EvaluationRun r : runs) {
            rows.add(List.of(Cell.text(r.name()), Cell.number(count(r.metric("images"))),
                    Cell.number(metric(r.metric("mAP"))), Cell.number(metric(r.ap()[0])), Cell.number(metric(r.ap()[5])),
                    Cell.number(metric(r.metric("dice"))), Cell.number(metric(r.metric("precision_at_0.7"))),
                    Cell.number(metric(r.metric("recall_at_0.7"))), Cell.number(count(r.metric("oversegmentation"))),
                    Cell.number(count(r.metric("undersegmentation")))));
        }
        page.table(List.of("evaluation", "images", "mAP", "AP@0.5", "AP@0.75", "Dice", "precision@0.7", "recall@0.7",
                "split nuclei", "merged predictions"), rows);
        page.note("mAP: Data Science Bowl 2018 score (mean over images of TP/(TP+FP+FN), averaged over IoU thresholds "
                + "0.50–0.95). Dice: foreground overlap. Precision and recall at IoU 0.7 pooled over all nuclei. Split "
                + "nuclei: true nuclei cut into several predictions (over-segmentation); merged predictions: predictions "
                + "covering several true nuclei (under-segmentation).");
        List<List<Cell>> sources = new ArrayList<>();
        for (EvaluationRun r : runs) {
            sources.add(List.of(Cell.text(r.name()), Cell.text(r.uri()), Cell.text(orDash(r.predictions())),
                    Cell.text(orDash(r.groundTruth())), Cell.text(String.join(", ", r.modelVersions()))));
        }
        page.table(List.of("evaluation", "evaluate output", "segment output", "ground truth", "model versions"), sources);
    }

    private static String count(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String orDash(String s) {
        return s == null ? "–" : s;
    }

    /** One colour per evaluation, the same in every plot. */
    private static Map<String, java.awt.Color> colours(List<EvaluationRun> runs) {
        Map<String, java.awt.Color> out = new HashMap<>();
        for (int i = 0; i < runs.size(); i++) out.put(runs.get(i).name(), ChartStyle.colour(i));
        return out;
    }

    private static void apCurves(HtmlPage page, List<EvaluationRun> runs, ReportFiles files) {
        Map<String, double[]> ap = new LinkedHashMap<>();
        for (EvaluationRun r : runs) ap.put(r.name(), r.ap());
        files.write("plots/ap_vs_iou.png", ChartStyle.png(ApCurveChart.create(ap, colours(runs))));
        page.heading(2, "Average precision by IoU threshold");
        page.plot("plots/ap_vs_iou.png", "AP against IoU threshold per model",
                "How strict the match is (x) against the DSB score at that strictness (y). A curve that stays high "
                        + "to the right outlines nuclei precisely; one that drops steeply finds nuclei but draws their "
                        + "boundaries loosely. mAP is the mean height of the curve.");
    }

    private static void recallByProperty(HtmlPage page, SparkSession spark, List<EvaluationRun> runs, ReportFiles files) {
        page.heading(2, "Which nuclei are found: recall at IoU 0.7 by nucleus property");
        Map<String, Dataset<Row>> nuclei = new LinkedHashMap<>();
        for (EvaluationRun r : runs) {
            Dataset<Row> n = r.table(spark, "nuclei");
            if (n != null) nuclei.put(r.name(), n);
        }
        if (nuclei.isEmpty()) {
            page.note("None of the evaluations has nuclei/ (written by evaluate since the report command exists); evaluate again to see these plots.");
            return;
        }
        // a few bytes per nucleus: a million true nuclei are some tens of MB on the driver
        Map<String, List<Row>> rows = new LinkedHashMap<>();
        nuclei.forEach((name, n) -> rows.put(name, n.selectExpr("cast(area as double)", "eccentricity",
                "cast(cluster_size as double)", "matched_at_0_7").collectAsList()));
        String reference = rows.keySet().iterator().next();
        page.paragraph("Each true nucleus counts as found when a prediction overlaps it with IoU > 0.7. The nuclei "
                + "are split into thirds by each property (the bins come from the ground-truth nuclei of the first evaluation, "
                + reference + "); a bar is the share of the nuclei in its third that the model found.");
        for (int index = 0; index < PROPERTIES.size(); index++) {
            final int p = index;
            Property prop = PROPERTIES.get(p);
            Tertiles bins = Tertiles.of(column(rows.get(reference), p));
            List<String> categories = new ArrayList<>();
            List<Integer> shown = new ArrayList<>();
            for (int b = 0; b < Tertiles.BINS; b++) {
                if (bins.count(b) == 0) continue; // equal values fill one third (most clusters are size 1)
                shown.add(b);
                categories.add(bins.range(b, prop.decimals(), prop.unit()) + " (n = " + bins.count(b) + ")");
            }
            Map<String, double[]> recall = new LinkedHashMap<>();
            rows.forEach((name, list) -> {
                BinnedRecall r = BinnedRecall.of(bins, column(list, p), matched(list));
                double[] v = new double[shown.size()];
                for (int i = 0; i < v.length; i++) v[i] = r.recall(shown.get(i));
                recall.put(name, v);
            });
            files.write("plots/" + prop.file(), ChartStyle.png(GroupedBarChart.create(
                    "Recall at IoU 0.7 by " + prop.title(), prop.axis(), "recall (share of true nuclei found)",
                    categories, recall, colours(runs))));
            page.plot("plots/" + prop.file(), "recall by " + prop.title(), captionFor(prop));
        }
    }

    private static String captionFor(Property p) {
        return switch (p.column()) {
            case "area" -> "Small nuclei are the hardest to outline at IoU 0.7: a one-pixel error costs them most.";
            case "eccentricity" -> "Elongated nuclei (high eccentricity) are often dividing, squeezed or cut by the "
                    + "image border.";
            default -> "Nuclei in clusters must be separated from their neighbours; a low bar on the right means "
                    + "touching nuclei are merged or split wrongly.";
        };
    }

    private static double[] column(List<Row> rows, int i) {
        double[] out = new double[rows.size()];
        for (int k = 0; k < out.length; k++) out[k] = rows.get(k).getDouble(i);
        return out;
    }

    private static boolean[] matched(List<Row> rows) {
        boolean[] out = new boolean[rows.size()];
        for (int k = 0; k < out.length; k++) out[k] = rows.get(k).getBoolean(3);
        return out;
    }

    private void imageTypes(HtmlPage page, SparkSession spark, List<EvaluationRun> runs, ReportFiles files,
                            SourceImages images) {
        page.heading(2, "Scores by image type");
        EvaluationRun first = runs.get(0);
        Dataset<Row> perImage = first.table(spark, "per_image");
        Map<String, EvaluationRun.ImageSource> all = first.imageSources(spark);
        Map<String, EvaluationRun.ImageSource> sources = new TreeMap<>();
        if (perImage != null) {
            for (Row r : perImage.select("image_id").collectAsList()) {
                if (all.containsKey(r.getString(0))) sources.put(r.getString(0), all.get(r.getString(0)));
            }
        }
        List<ImageTypes.Type> types = ImageTypes.find(spark, sources, options.imageTypes(), images);
        if (types.isEmpty()) {
            page.note("No input images of " + first.name() + " could be read (its metrics.json names no segment output, "
                    + "or the images have moved), so there are no image types.");
            return;
        }
        page.paragraph("The images of " + first.name() + " are grouped into " + types.size() + " types by how they look "
                + "(k-means, k = " + options.imageTypes() + ", on each image's normalised grey-level histogram and mean "
                + "colour), so that fluorescence, brightfield and stained tissue are scored apart. Each model's column "
                + "is its mean DSB score (mAP) over the images of that type.");
        List<Map<String, Double>> scores = new ArrayList<>();
        for (EvaluationRun r : runs) scores.add(scores(spark, r));
        List<List<Cell>> rows = new ArrayList<>();
        for (ImageTypes.Type t : types) {
            String thumb = "types/type-" + t.number() + ".png";
            try {
                org.nucleispark.image.Image example = images.load(sources.get(t.exampleId()));
                // twice the displayed width, for sharp thumbnails on high-density screens
                files.write(thumb, DisplayImage.png(DisplayImage.thumbnail(
                        DisplayImage.buffered(DisplayImage.rgb(example), example.width(), example.height()), 192)));
            } catch (IOException e) {
                thumb = null;
            }
            List<Cell> row = new ArrayList<>(List.of(Cell.text("Type " + t.number() + ": " + t.label()),
                    Cell.number(Integer.toString(t.imageIds().size())),
                    thumb == null ? Cell.text(t.exampleId()) : Cell.image(thumb, "example: " + t.exampleId())));
            for (Map<String, Double> s : scores) row.add(Cell.number(metric(mean(s, t.imageIds()))));
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("image type", "images", "example"));
        runs.forEach(r -> header.add("mAP " + r.name()));
        page.table(header, rows);
    }

    private static Map<String, Double> scores(SparkSession spark, EvaluationRun run) {
        Map<String, Double> out = new HashMap<>();
        Dataset<Row> perImage = run.table(spark, "per_image");
        if (perImage == null) return out;
        for (Row r : perImage.select("image_id", "score").collectAsList()) out.put(r.getString(0), r.getDouble(1));
        return out;
    }

    private static double mean(Map<String, Double> scores, List<String> ids) {
        double sum = 0;
        int n = 0;
        for (String id : ids) {
            Double s = scores.get(id);
            if (s != null) {
                sum += s;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static void sourceShares(HtmlPage page, SparkSession spark, List<EvaluationRun> runs, ReportFiles files) {
        Map<String, Map<String, Long>> shares = new LinkedHashMap<>();
        java.util.SortedSet<String> sources = new java.util.TreeSet<>();
        for (EvaluationRun r : runs) {
            Dataset<Row> preds = r.table(spark, "predictions");
            if (preds == null) continue;
            Map<String, Long> counts = new TreeMap<>();
            for (Row c : preds.groupBy("source_model").count().collectAsList()) {
                counts.put(c.isNullAt(0) ? "unknown" : c.getString(0), c.getLong(1));
            }
            if (counts.size() > 1) {
                shares.put(r.name(), counts);
                sources.addAll(counts.keySet());
            }
        }
        if (shares.isEmpty()) return;
        page.heading(2, "Where the ensemble's nuclei come from");
        List<String> categories = new ArrayList<>(sources);
        Map<String, double[]> values = new LinkedHashMap<>();
        StringBuilder counts = new StringBuilder();
        shares.forEach((name, c) -> {
            long total = c.values().stream().mapToLong(Long::longValue).sum();
            double[] v = new double[categories.size()];
            for (int i = 0; i < v.length; i++) v[i] = c.getOrDefault(categories.get(i), 0L) / (double) total;
            values.put(name, v);
            counts.append(counts.length() == 0 ? "" : "; ").append(name).append(": ");
            c.forEach((s, n) -> counts.append(s).append(' ').append(n).append(", "));
            counts.setLength(counts.length() - 2);
        });
        files.write("plots/source_shares.png", ChartStyle.png(GroupedBarChart.create(
                "Share of final instances by source model", "model that proposed the instance",
                "share of the final instances", categories, values, colours(runs))));
        page.plot("plots/source_shares.png", "share of final instances per source model",
                "Which member model each kept instance came from (instances: " + counts + ").");
    }

    private static void overlays(HtmlPage page, SparkSession spark, List<EvaluationRun> runs, ReportFiles files,
                                 SourceImages images, GroundTruthReader truth) {
        page.heading(2, "Examples: best and worst images");
        page.paragraph("The " + ExampleOverlays.PER_END + " images with the highest and the lowest DSB score (among "
                + "images with at least one true nucleus) of each evaluation, at full resolution, with matches at IoU 0.7 "
                + "outlined:");
        page.legend(List.of("found (true positive)", "invented (false positive)", "missed true nucleus (false negative)"),
                List.of(OverlayRenderer.TP, OverlayRenderer.FP, OverlayRenderer.FN));
        ExampleOverlays examples = new ExampleOverlays(spark, images, truth);
        for (int i = 0; i < runs.size(); i++) {
            EvaluationRun r = runs.get(i);
            page.heading(3, r.name());
            List<ExampleOverlays.Overlay> written;
            try {
                written = examples.write(r, "e" + (i + 1), files);
            } catch (IOException e) {
                page.note("No overlays: " + e.getMessage());
                continue;
            }
            if (written.isEmpty()) {
                page.note("No overlays: this evaluation lacks nuclei/ or predictions/, or its images cannot be found; evaluate again.");
                continue;
            }
            for (boolean best : new boolean[] {true, false}) {
                List<HtmlPage.Figure> figures = new ArrayList<>();
                for (ExampleOverlays.Overlay o : written) {
                    if (o.best() != best) continue;
                    figures.add(new HtmlPage.Figure(o.file(), (best ? "best: " : "worst: ") + o.imageId(),
                            (best ? "best: " : "worst: ") + o.imageId() + " — score " + metric(o.score())
                                    + ", found " + o.tp() + ", invented " + o.fp() + ", missed " + o.fn()));
                }
                if (!figures.isEmpty()) page.gallery(figures);
            }
        }
    }
}
