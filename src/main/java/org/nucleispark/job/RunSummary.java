package org.nucleispark.job;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The closing lines of a segment run: counts, time, rate, and failures grouped by reason. */
record RunSummary(long imagesOk, long imagesFailed, long nuclei, double wallSeconds, List<String> topErrors) {

    static RunSummary of(Dataset<Row> results, double wallSeconds) {
        long ok = 0, failed = 0, nuclei = 0;
        for (Row r : results.select("image.status", "image.n_nuclei").groupBy("status")
                .agg(count(lit(1)).as("n"), sum(coalesce(col("n_nuclei"), lit(0))).as("nuclei")).collectAsList()) {
            if ("ok".equals(r.getString(0))) {
                ok = r.getLong(1);
                nuclei = r.getLong(2);
            } else {
                failed = r.getLong(1);
            }
        }
        List<String> errors = new ArrayList<>();
        if (failed > 0) {
            for (Row r : results.where(col("image.status").equalTo("error"))
                    .groupBy(col("image.error").as("error")).count().orderBy(col("count").desc()).limit(10).collectAsList()) {
                errors.add(r.getLong(1) + " × " + r.getString(0));
            }
        }
        return new RunSummary(ok, failed, nuclei, wallSeconds, errors);
    }

    void print(PrintStream out) {
        for (String e : topErrors) out.println("  failed: " + e);
        out.printf("segment done: %d images ok, %d failed, %d nuclei, %.1f s wall, %.2f images/s%n",
                imagesOk, imagesFailed, nuclei, wallSeconds, (imagesOk + imagesFailed) / Math.max(wallSeconds, 1e-9));
    }
}
