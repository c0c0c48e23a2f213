package org.nucleispark.job.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nucleispark.report.DisplayImage;
import org.nucleispark.report.HtmlPage;
import org.nucleispark.report.HtmlPage.Cell;
import org.nucleispark.image.Image;

/** The report's table of scores per image type ({@link ImageTypes}), with an example thumbnail per type. */
final class ImageTypeSection {
    private ImageTypeSection() {}

    static void write(HtmlPage page, SparkSession spark, List<EvaluationRun> runs, ReportFiles files,
                      SourceImages images, int k) {
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
        List<ImageTypes.Type> types = ImageTypes.find(spark, sources, k, images);
        if (types.isEmpty()) {
            page.note("No input images of " + first.name() + " could be read (its metrics.json names no segment output, "
                    + "or the images have moved), so there are no image types.");
            return;
        }
        page.paragraph("The images of " + first.name() + " are grouped into " + types.size() + " types by how they look "
                + "(k-means, k = " + k + ", on each image's normalised grey-level histogram and mean "
                + "colour), so that fluorescence, brightfield and stained tissue are scored apart. Each model's column "
                + "is its mean DSB score (mAP) over the images of that type.");
        List<Map<String, Double>> scores = new ArrayList<>();
        for (EvaluationRun r : runs) scores.add(scores(spark, r));
        List<List<Cell>> rows = new ArrayList<>();
        for (ImageTypes.Type t : types) {
            String thumb = "types/type-" + t.number() + ".png";
            try {
                Image example = images.load(sources.get(t.exampleId()));
                // twice the displayed width, for sharp thumbnails on high-density screens
                files.write(thumb, DisplayImage.png(DisplayImage.thumbnail(
                        DisplayImage.buffered(DisplayImage.rgb(example), example.width(), example.height()), 192)));
            } catch (IOException e) {
                thumb = null;
            }
            List<Cell> row = new ArrayList<>(List.of(Cell.text("Type " + t.number() + ": " + t.label()),
                    Cell.number(Integer.toString(t.imageIds().size())),
                    thumb == null ? Cell.text(t.exampleId()) : Cell.image(thumb, "example: " + t.exampleId())));
            for (Map<String, Double> s : scores) row.add(Cell.number(ReportJob.metric(mean(s, t.imageIds()))));
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
}
