package org.nucleispark.job.segment;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The closing lines of a segment run: counts, time, rate, failures grouped by reason, and where the
 * time went (per-stage task-seconds summed over images; wall time of the job's phases).
 *
 * @param stageSeconds task-seconds summed over all rows: read, decode, inference, postprocess, measure, encode
 */
record RunSummary(long imagesOk, long imagesFailed, long nuclei, double wallSeconds, List<String> topErrors,
                  double megapixels, double[] stageSeconds, Phases phases, long framedRows) {
    static final List<String> STAGES = List.of("read", "decode", "inference", "postprocess", "measure", "encode");

    /** Wall-clock seconds of the job's phases: listing and start-up, segmentation (all tasks), writing. */
    record Phases(double setup, double segment, double write) {}

    /**
     * One aggregation over the run's rows for every figure (a query per figure cost Spark jobs each: the
     * summary of 65 images took 0.8-1.1 s, now 0.5 s), then the failure reasons only when something failed.
     */
    static RunSummary of(Dataset<Row> results, double wallSeconds, Phases phases) {
        Column ok = col("image.status").equalTo("ok");
        List<Column> figures = new ArrayList<>();
        figures.add(sum(when(ok, 1L).otherwise(0L)));
        figures.add(sum(when(ok, coalesce(col("image.n_nuclei").cast("long"), lit(0L))).otherwise(0L)));
        figures.add(sum(when(ok, col("image.width").cast("double").multiply(col("image.height"))).otherwise(0.0)));
        figures.add(count(col("image.frame")));
        for (String s : STAGES) figures.add(sum(coalesce(col("image.seconds_" + s), lit(0.0))));
        figures.add(count(lit(1)));
        Row t = results.agg(figures.get(0), figures.subList(1, figures.size()).toArray(Column[]::new)).first();
        long rows = t.getLong(figures.size() - 1);
        long imagesOk = t.isNullAt(0) ? 0 : t.getLong(0);
        long nuclei = t.isNullAt(1) ? 0 : t.getLong(1);
        double mp = t.isNullAt(2) ? 0 : t.getDouble(2) / 1e6;
        long framed = t.getLong(3);
        double[] stages = new double[STAGES.size()];
        for (int i = 0; i < stages.length; i++) stages[i] = t.isNullAt(i + 4) ? 0 : t.getDouble(i + 4);
        long failed = rows - imagesOk;
        List<String> errors = new ArrayList<>();
        if (failed > 0) {
            for (Row r : results.where(not(ok))
                    .groupBy(col("image.error").as("error")).count().orderBy(col("count").desc()).limit(10).collectAsList()) {
                errors.add(r.getLong(1) + " × " + r.getString(0));
            }
        }
        return new RunSummary(imagesOk, failed, nuclei, wallSeconds, errors, mp, stages, phases, framed);
    }

    void print(PrintStream out) {
        for (String e : topErrors) out.println("  failed: " + e);
        double total = 0;
        for (double s : stageSeconds) total += s;
        StringBuilder split = new StringBuilder();
        for (int i = 0; i < STAGES.size(); i++) {
            split.append(i == 0 ? "" : ", ").append(String.format("%s %.1f s (%.0f%%)", STAGES.get(i), stageSeconds[i],
                    100 * stageSeconds[i] / Math.max(total, 1e-9)));
        }
        out.println("segment stages (task-seconds, summed over images): " + split);
        out.printf("segment phases (wall): setup %.1f s, segmentation %.1f s, write %.1f s; %.1f megapixels, %.2f megapixels/s%n",
                phases.setup(), phases.segment(), phases.write(), megapixels, megapixels / Math.max(wallSeconds, 1e-9));
        out.printf("segment done: %d images ok, %d failed, %d nuclei, %.1f s wall, %.2f images/s%n",
                imagesOk, imagesFailed, nuclei, wallSeconds, (imagesOk + imagesFailed) / Math.max(wallSeconds, 1e-9));
    }
}
