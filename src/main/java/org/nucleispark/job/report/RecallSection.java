package org.nucleispark.job.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nucleispark.report.BinnedRecall;
import org.nucleispark.report.ChartStyle;
import org.nucleispark.report.GroupedBarChart;
import org.nucleispark.report.HtmlPage;
import org.nucleispark.report.Tertiles;

/**
 * The report's recall plots: which true nuclei each model finds (at IoU 0.7), by tertile of nucleus
 * area, eccentricity and cluster size, from evaluate's nuclei/ tables.
 */
final class RecallSection {
    private RecallSection() {}

    /** A nucleus property whose tertiles the recall plots use. */
    private record Property(String column, String file, String title, String axis, int decimals, String unit) {}

    private static final List<Property> PROPERTIES = List.of(
            new Property("area", "recall_by_area.png", "nucleus area",
                    "true nucleus area in px² (tertiles of the ground-truth nuclei)", 0, "px²"),
            new Property("eccentricity", "recall_by_eccentricity.png", "nucleus eccentricity",
                    "eccentricity: 0 = round, towards 1 = elongated (tertiles of the ground-truth nuclei)", 2, ""),
            new Property("cluster_size", "recall_by_cluster_size.png", "cluster size",
                    "true nuclei in the cluster (touching or ≤ 4 px apart; tertiles of the ground-truth nuclei)", 0, ""));

    static void write(HtmlPage page, SparkSession spark, List<EvaluationRun> runs, ReportFiles files) {
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
                    categories, recall, ReportJob.colours(runs))));
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
}
