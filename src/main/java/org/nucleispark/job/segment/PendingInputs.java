package org.nucleispark.job.segment;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nucleispark.io.InputFile;

/**
 * Which listed inputs an incremental run still has to process: those without a current row for this
 * model version and this identity of the file. Error rows count as done (a corrupt file stays corrupt;
 * re-reading it every night would only repeat the error) unless {@code --retry-failed}.
 *
 * @param toProcess the inputs to segment, in listing order
 * @param skipped   how many listed inputs were already done
 */
record PendingInputs(List<InputFile> toProcess, long skipped) {

    static PendingInputs all(List<InputFile> inputs) {
        return new PendingInputs(inputs, 0);
    }

    /**
     * @param current the current images/ rows ({@link org.nucleispark.store.CurrentResults#images()}), or null when there are none
     */
    static PendingInputs of(List<InputFile> inputs, Dataset<Row> current, String modelVersion,
                            InputIdentity identity, boolean retryFailed) {
        if (current == null) return all(inputs);
        Dataset<Row> done = current.where(col("model_version").equalTo(modelVersion));
        if (retryFailed) done = done.where(col("status").equalTo("ok"));
        boolean hasSha = List.of(done.columns()).contains("content_sha256");
        Set<String> statKeys = new HashSet<>();
        Set<String> hashKeys = new HashSet<>();
        // one row per done file: small enough to collect even for millions of files (a path and a few numbers each)
        Dataset<Row> keys = done.select(col("path"), col("file_size"), col("file_modified"),
                hasSha ? col("content_sha256") : org.apache.spark.sql.functions.lit(null).cast("string")).distinct();
        for (Row r : keys.collectAsList()) {
            statKeys.add(statKey(r.getString(0), r.getLong(1), r.getLong(2)));
            if (!r.isNullAt(3)) hashKeys.add(hashKey(r.getString(0), r.getString(3)));
        }
        List<InputFile> todo = new ArrayList<>();
        for (InputFile f : inputs) {
            boolean isDone = identity == InputIdentity.HASH && f.contentSha256() != null
                    ? hashKeys.contains(hashKey(f.path(), f.contentSha256()))
                    // stat identity, and the fallback for a file whose bytes could not be hashed (missing,
                    // unreadable): its error row is keyed by what the listing saw
                    : statKeys.contains(statKey(f.path(), f.size(), f.modificationTime()));
            if (!isDone) todo.add(f);
        }
        return new PendingInputs(todo, inputs.size() - todo.size());
    }

    private static String statKey(String path, long size, long modified) {
        return path + "\u0000" + size + "\u0000" + modified;
    }

    private static String hashKey(String path, String sha) {
        return path + "\u0000" + sha;
    }
}
