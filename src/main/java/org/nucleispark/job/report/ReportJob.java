package org.nucleispark.job.report;

import org.nucleispark.runtime.ExitCodes;
import org.nucleispark.runtime.Sessions;
import org.nucleispark.runtime.SetupException;
import org.nucleispark.store.GroundTruthReader;
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
import org.nucleispark.report.ChartStyle;
import org.nucleispark.report.GroupedBarChart;
import org.nucleispark.report.HtmlPage;
import org.nucleispark.report.HtmlPage.Cell;
import org.nucleispark.report.OverlayRenderer;
import org.nucleispark.report.UniqueNames;
import java.time.temporal.ChronoUnit;
import java.awt.Color;
import java.time.Instant;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The report command: one HTML page (index.html) with PNG plots comparing one or more evaluate
 * outputs, for people who would rather look than read metrics.json. Sections, in order: summary
 * table, AP against IoU threshold, recall by nucleus property, scores per image type, the ensemble's
 * sources, example overlays.
 */
public final class ReportJob {
    /** What the report is asked for; parsed once by the CLI. */
    /** @param predictions segment outputs whose tracks the tracking section shows (besides the evaluations' own); may be empty */
    public record Options(List<String> evaluations, String output, int imageTypes, String master, List<String> predictions) {
        public Options {
            evaluations = evaluations == null ? List.of() : List.copyOf(evaluations);
            predictions = predictions == null ? List.of() : List.copyOf(predictions);
        }

        public Options(List<String> evaluations, String output, int imageTypes, String master) {
            this(evaluations, output, imageTypes, master, List.of());
        }
    }

    private final Options options;

    public ReportJob(Options options) {
        if (options.evaluations().isEmpty() && options.predictions().isEmpty()) {
            throw new SetupException("--evaluations names no evaluate output (and no --predictions for a tracking report)");
        }
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
            page.note("Generated " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                    + " by nucleispark report from " + runs.size() + (runs.size() == 1 ? " evaluation" : " evaluations")
                    + (options.predictions().isEmpty() ? "." : " and " + options.predictions().size() + " segment output(s)."));
            if (!runs.isEmpty()) {
                summary(page, runs);
                apCurves(page, runs, files);
                RecallSection.write(page, spark, runs, files);
                ImageTypeSection.write(page, spark, runs, files, images, options.imageTypes());
                sourceShares(page, spark, runs, files);
            }
            List<String> segmentOutputs = new ArrayList<>();
            runs.forEach(r -> segmentOutputs.add(r.predictions()));
            segmentOutputs.addAll(options.predictions());
            TrackingSection.write(page, spark, segmentOutputs, files, images);
            if (!runs.isEmpty()) overlays(page, spark, runs, files, images, new GroundTruthReader(new SerializableConfiguration(conf)));
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
    static Map<String, Color> colours(List<EvaluationRun> runs) {
        Map<String, Color> out = new HashMap<>();
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

    private static void sourceShares(HtmlPage page, SparkSession spark, List<EvaluationRun> runs, ReportFiles files) {
        Map<String, Map<String, Long>> shares = new LinkedHashMap<>();
        SortedSet<String> sources = new TreeSet<>();
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
