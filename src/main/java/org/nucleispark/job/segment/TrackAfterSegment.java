package org.nucleispark.job.segment;

import org.nucleispark.job.track.TrackJob;

import org.nucleispark.store.CurrentResults;

import org.nucleispark.runtime.SetupException;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import java.io.PrintStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * segment's track stage ({@code --track}, on by default for corpora with frames): after the run's
 * ledger row, so the rows it links are the committed current ones, it runs {@link TrackJob#link} on
 * the run's model version — centroids and areas read back from instances/, never pixels. It appends
 * to track_ids/, tracks/ and track_runs/ exactly like {@code track}, so the current-rows rule and
 * idempotence are the same: a rerun gives the same current rows.
 *
 * <p>Up to date: when the latest tracking of (model version, track version) was written after the
 * latest segment run whose rows are current for that model version, there is nothing new to link
 * (an incremental run that found every input done) and no tracking run is appended.
 */
final class TrackAfterSegment {
    private TrackAfterSegment() {}

    /** What the stage did, for tests and the log. */
    enum Outcome { OFF, NO_FRAMES, UP_TO_DATE, LINKED }

    /**
     * @param framed whether the run's corpus has frames, when the run knows (FALSE: auto links nothing and
     *               logs no stage, so runs on plain image folders cost nothing more); null: look in the output
     */
    static Outcome run(SparkSession spark, String output, String modelVersion, SegmentTracking tracking, Boolean framed,
                       StageLog stages, PrintStream out) {
        if (tracking.mode() == SegmentTracking.Mode.OFF) return Outcome.OFF;
        if (tracking.mode() == SegmentTracking.Mode.AUTO && Boolean.FALSE.equals(framed)) return Outcome.NO_FRAMES;
        String version = tracking.options().trackVersion();
        stages.begin("track", "link instances of model version " + modelVersion + " per sequence, track_version " + version);
        Dataset<Row> images = CurrentResults.of(spark, output).images();
        if (images == null) {
            stages.end("skipped=no_results");
            return Outcome.NO_FRAMES;
        }
        Row r = images.where(col("model_version").equalTo(modelVersion))
                .agg(count(when(col("frame").isNotNull(), lit(1))), max("run_id")).first();
        long frames = r.getLong(0);
        String latestSegmentRun = r.isNullAt(1) ? null : r.getString(1);
        if (frames == 0) {
            if (tracking.mode() == SegmentTracking.Mode.ON) {
                out.println("segment: --track on, but no image has a frame (give --manifest, or --pattern with {frame}); nothing linked");
            }
            stages.end("skipped=no_frames");
            return Outcome.NO_FRAMES;
        }
        String latestTrackRun = latestTrackRun(spark, output, modelVersion, version);
        if (latestTrackRun != null && latestSegmentRun != null && latestTrackRun.compareTo(latestSegmentRun) > 0) {
            out.printf("segment: tracks up to date (track_version %s, tracking run %s)%n", version, latestTrackRun);
            stages.end("skipped=up_to_date");
            return Outcome.UP_TO_DATE;
        }
        int n = TrackJob.link(spark, output, tracking.options(), modelVersion);
        out.printf("segment: linked %d tracks from %d images with a frame (track_version %s)%n", n, frames, version);
        stages.end("tracks=" + n + " track_version=" + version);
        return Outcome.LINKED;
    }

    private static String latestTrackRun(SparkSession spark, String output, String modelVersion, String trackVersion) {
        Dataset<Row> tracks = TrackJob.current(spark, output, "track_ids");
        if (tracks == null) return null;
        Row r = tracks.where(col("model_version").equalTo(modelVersion).and(col("track_version").equalTo(trackVersion)))
                .agg(max("run_id")).first();
        return r.isNullAt(0) ? null : r.getString(0);
    }
}
