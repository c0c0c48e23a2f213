package org.nucleispark.job.segment;

import org.nucleispark.job.Main;
import org.nucleispark.job.SmallCorpus;
import org.nucleispark.runtime.ExitCodes;
import org.nucleispark.store.ContentHashes;
import org.nucleispark.store.CurrentResults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Nightly reprocessing, end to end through the CLI on real Spark: incremental runs skip what is done,
 * reruns change nothing, changed or failed inputs are handled as documented, and the ledger says so.
 * The session is created here and reused by the CLI (Sessions keeps an existing one).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class IncrementalRunsTest {
    private Path tmp;
    private SparkSession spark;

    @BeforeAll
    void start() throws IOException {
        tmp = Files.createTempDirectory("nucleispark-incremental");
        spark = SparkSession.builder().master("local[2]").appName("incremental-test")
                .config("spark.ui.enabled", "false").getOrCreate();
    }

    @AfterAll
    void stop() {
        if (spark != null) spark.stop();
        org.apache.commons.io.FileUtils.deleteQuietly(tmp.toFile());
    }

    private int segment(SmallCorpus corpus, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("segment", "--model", "classical", "--input", corpus.dir().toString(), "--output", out.toString()));
        args.addAll(Arrays.asList(extra));
        return Main.run(args.toArray(String[]::new));
    }

    private List<Row> ledger(Path out) {
        return spark.read().parquet(out.resolve("runs").toString()).orderBy("run_id").collectAsList();
    }

    private static long count(Row run, String column) {
        return run.<Long>getAs(column);
    }

    /** The current rows, timing columns left out (they differ from run to run by nature). */
    public static List<String> rows(Dataset<Row> table, boolean withRunId) {
        List<String> keep = Arrays.stream(table.columns())
                .filter(c -> !c.startsWith("seconds") && (withRunId || !c.equals("run_id")))
                .sorted().collect(Collectors.toList());
        return table.selectExpr(keep.toArray(String[]::new)).collectAsList().stream()
                .map(Row::toString).sorted().collect(Collectors.toList());
    }

    @Test
    void addingTwoImagesToTenProcessesExactlyTwoAndARerunProcessesNone() throws IOException {
        SmallCorpus corpus = new SmallCorpus(tmp.resolve("grow/in"));
        Path out = tmp.resolve("grow/out");
        corpus.add(10);
        assertEquals(ExitCodes.OK, segment(corpus, out, "--incremental"));
        CurrentResults first = CurrentResults.of(spark, out.toString());
        List<String> firstImages = rows(first.images(), true);
        assertEquals(10, firstImages.size());

        corpus.add(2);
        assertEquals(ExitCodes.OK, segment(corpus, out, "--incremental"));
        CurrentResults second = CurrentResults.of(spark, out.toString());
        List<String> secondImages = rows(second.images(), true);
        assertEquals(12, secondImages.size());
        assertTrue(secondImages.containsAll(firstImages), "the 10 done images keep their rows from the first run");
        assertEquals(2, second.images().where("image_id in ('img10', 'img11')").count());
        // the raw table holds no second copy of anything: only the 2 new rows were appended
        assertEquals(12, spark.read().parquet(out.resolve("images").toString()).count());
        List<String> instancesAfterSecond = rows(second.instances(), true);
        List<String> sequencesAfterSecond = rows(second.sequences(), true);
        assertFalse(instancesAfterSecond.isEmpty());

        assertEquals(ExitCodes.OK, segment(corpus, out, "--incremental"));
        CurrentResults third = CurrentResults.of(spark, out.toString());
        assertEquals(secondImages, rows(third.images(), true), "a rerun leaves images/ unchanged");
        assertEquals(instancesAfterSecond, rows(third.instances(), true), "a rerun leaves instances/ unchanged");
        assertEquals(sequencesAfterSecond, rows(third.sequences(), true));
        assertEquals(12, spark.read().parquet(out.resolve("images").toString()).count());

        List<Row> runs = ledger(out);
        assertEquals(3, runs.size());
        long[][] expected = {{10, 0, 10, 0}, {12, 10, 2, 0}, {12, 12, 0, 0}};
        for (int i = 0; i < 3; i++) {
            Row r = runs.get(i);
            assertEquals(expected[i][0], count(r, "inputs_seen"), "run " + i);
            assertEquals(expected[i][1], count(r, "skipped_done"), "run " + i);
            assertEquals(expected[i][2], count(r, "processed_ok"), "run " + i);
            assertEquals(expected[i][3], count(r, "failed"), "run " + i);
            assertEquals("classical", r.getAs("model"));
            assertEquals(second.images().first().<String>getAs("model_version"), r.getAs("model_version"));
            assertTrue(r.<String>getAs("arguments").startsWith("segment --model classical --input "), r.<String>getAs("arguments"));
            assertTrue(r.<String>getAs("arguments").contains("--incremental"));
            // tests run in the checkout: the commit is known (a 40-hex sha, maybe -dirty)
            assertTrue(r.<String>getAs("git_commit").matches("[0-9a-f]{40}(-dirty)?"), r.<String>getAs("git_commit"));
            assertFalse(r.<java.sql.Timestamp>getAs("ended").before(r.getAs("started")));
        }
        assertEquals(3, runs.stream().map(r -> r.<String>getAs("run_id")).distinct().count());
    }

    @Test
    void anOutputStartedByAnOlderVersionKeepsTheNewColumnsOfNewRuns() throws IOException {
        SmallCorpus corpus = new SmallCorpus(tmp.resolve("schema/in"));
        Path out = tmp.resolve("schema/out");
        corpus.add(2);
        assertEquals(ExitCodes.OK, segment(corpus, out, "--incremental"));
        // rewrite that run's instances as a version before source_model/predicted_iou wrote them
        rewriteTheOnlyRun(out.resolve("instances"), t -> t.drop("source_model", "predicted_iou"));

        corpus.add(2);
        assertEquals(ExitCodes.OK, segment(corpus, out, "--incremental"));
        Dataset<Row> instances = CurrentResults.of(spark, out.toString()).instances();
        assertTrue(Arrays.asList(instances.columns()).contains("source_model"), Arrays.toString(instances.columns()));
        assertTrue(instances.where("image_id in ('img02', 'img03')").count() > 0);
        assertEquals(0, instances.where("image_id in ('img02', 'img03') and source_model is null").count(),
                "new rows keep their source_model whichever file Spark reads its schema from");
        assertEquals(instances.where("image_id in ('img00', 'img01')").count(),
                instances.where("image_id in ('img00', 'img01') and source_model is null").count(), "old rows read as null");
        assertTrue(instances.where("image_id in ('img00', 'img01')").count() > 0);
    }

    @Test
    void anOutputWithTheOldStageColumnsStaysReadableAndIncremental() throws IOException {
        SmallCorpus corpus = new SmallCorpus(tmp.resolve("stages/in"));
        Path out = tmp.resolve("stages/out");
        corpus.add(2);
        assertEquals(ExitCodes.OK, segment(corpus, out, "--incremental"));
        // as written before inference was timed apart: one seconds_segment column for both
        rewriteTheOnlyRun(out.resolve("images"), t -> t
                .withColumn("seconds_segment", t.col("seconds_inference").plus(t.col("seconds_postprocess")))
                .drop("seconds_inference", "seconds_postprocess"));

        corpus.add(2);
        assertEquals(ExitCodes.OK, segment(corpus, out, "--incremental"));
        Row second = ledger(out).get(1);
        assertEquals(2, count(second, "skipped_done"), "the old rows still count as done");
        assertEquals(2, count(second, "processed_ok"));
        Dataset<Row> images = CurrentResults.of(spark, out.toString()).images();
        assertEquals(4, images.count());
        assertEquals(2, images.where("seconds_segment is not null and seconds_inference is null").count(), "old rows as written");
        assertEquals(2, images.where("seconds_postprocess > 0 and seconds_segment is null").count(), "new rows with the split");
    }

    /** Replaces the one run_id=… folder of a table with what {@code change} makes of it. */
    private void rewriteTheOnlyRun(Path table, java.util.function.UnaryOperator<Dataset<Row>> change) throws IOException {
        Path oldRun;
        try (var runs = Files.list(table)) {
            oldRun = runs.filter(p -> p.getFileName().toString().startsWith("run_id=")).findFirst().orElseThrow();
        }
        Path rewritten = table.resolveSibling(table.getFileName() + "-rewritten");
        change.apply(spark.read().parquet(oldRun.toString())).write().parquet(rewritten.toString());
        org.apache.commons.io.FileUtils.deleteDirectory(oldRun.toFile());
        org.apache.commons.io.FileUtils.moveDirectory(rewritten.toFile(), oldRun.toFile());
    }

    @Test
    void errorRowsAreNotRetriedUnlessAsked() throws IOException {
        SmallCorpus corpus = new SmallCorpus(tmp.resolve("errors/in"));
        Path out = tmp.resolve("errors/out");
        corpus.add(3);
        corpus.addCorrupt("broken.png");
        assertEquals(ExitCodes.OK, segment(corpus, out, "--incremental"));
        assertEquals(ExitCodes.OK, segment(corpus, out, "--incremental"));
        // the only input it processed failed again: nothing could be processed, the documented exit code 1
        assertEquals(ExitCodes.NOTHING_PROCESSED, segment(corpus, out, "--incremental", "--retry-failed"));
        List<Row> runs = ledger(out);
        assertEquals(List.of(3L, 0L, 0L), runs.stream().map(r -> count(r, "processed_ok")).collect(Collectors.toList()));
        assertEquals(List.of(1L, 0L, 1L), runs.stream().map(r -> count(r, "failed")).collect(Collectors.toList()),
                "the corrupt file: an error row once, skipped by the plain rerun, tried again only with --retry-failed");
        Dataset<Row> images = CurrentResults.of(spark, out.toString()).images();
        assertEquals(4, images.count(), "retrying replaced the error row rather than adding one");
        Row broken = images.where("image_id = 'broken'").first();
        assertEquals("error", broken.getAs("status"));
        assertEquals(runs.get(2).<String>getAs("run_id"), broken.getAs("run_id"));
    }

    @Test
    void aChangedFileIsReprocessedUnlessItsContentIsTheSameUnderHashIdentity() throws IOException {
        SmallCorpus corpus = new SmallCorpus(tmp.resolve("touch/in"));
        Path out = tmp.resolve("touch/out");
        List<Path> files = corpus.add(4);
        assertEquals(ExitCodes.OK, segment(corpus, out, "--incremental", "--identity", "hash"));
        Dataset<Row> first = CurrentResults.of(spark, out.toString()).images();
        assertEquals(4, first.where("content_sha256 is not null").count());
        String sha = first.where("image_id = 'img01'").first().getAs("content_sha256");
        assertEquals(ContentHashes.sha256(new org.nucleispark.io.InputFile(files.get(1).toUri().toString(), "img01",
                0, 0), new org.nucleispark.io.SerializableConfiguration(new org.apache.hadoop.conf.Configuration())), sha);

        // a restore from backup: new modification time, same bytes
        Files.setLastModifiedTime(files.get(1), FileTime.fromMillis(Files.getLastModifiedTime(files.get(1)).toMillis() - 86_400_000L));
        assertEquals(ExitCodes.OK, segment(corpus, out, "--incremental", "--identity", "hash"));
        assertEquals(ExitCodes.OK, segment(corpus, out, "--incremental"));
        List<Row> runs = ledger(out);
        assertEquals(0, count(runs.get(1), "processed_ok"), "same content: done under hash identity");
        assertEquals(1, count(runs.get(2), "processed_ok"), "new modification time: changed under stat identity");
        Dataset<Row> current = CurrentResults.of(spark, out.toString()).images();
        assertEquals(4, current.count(), "the reprocessed file's new row supersedes its old one");
        assertEquals(runs.get(2).<String>getAs("run_id"), current.where("image_id = 'img01'").first().getAs("run_id"));
        assertEquals(5, spark.read().parquet(out.resolve("images").toString()).count(), "history keeps the superseded row");
    }

    @Test
    void reprocessOverridesIncrementalAndSupersedesEverything() throws IOException {
        SmallCorpus corpus = new SmallCorpus(tmp.resolve("reprocess/in"));
        Path out = tmp.resolve("reprocess/out");
        corpus.add(3);
        assertEquals(ExitCodes.OK, segment(corpus, out, "--incremental"));
        List<String> before = rows(CurrentResults.of(spark, out.toString()).images(), false);
        List<String> instancesBefore = rows(CurrentResults.of(spark, out.toString()).instances(), false);
        assertEquals(ExitCodes.OK, segment(corpus, out, "--incremental", "--reprocess"));
        CurrentResults after = CurrentResults.of(spark, out.toString());
        assertEquals(before, rows(after.images(), false), "same inputs, same model: the same rows");
        assertEquals(instancesBefore, rows(after.instances(), false));
        List<Row> runs = ledger(out);
        assertEquals(3, count(runs.get(1), "processed_ok"));
        String lastRun = runs.get(1).getAs("run_id");
        assertEquals(3, after.images().where(org.apache.spark.sql.functions.col("run_id").equalTo(lastRun)).count());
        assertNotEquals(runs.get(0).<String>getAs("run_id"), lastRun);
    }

    @Test
    void anOutputWhereEveryInputFailedReadsAsEmptyTablesAndIsDone() throws IOException {
        SmallCorpus corpus = new SmallCorpus(tmp.resolve("allbad/in"));
        Path out = tmp.resolve("allbad/out");
        corpus.addCorrupt("a.png");
        corpus.addCorrupt("b.png");
        assertEquals(ExitCodes.NOTHING_PROCESSED, segment(corpus, out, "--incremental"));
        CurrentResults current = CurrentResults.of(spark, out.toString());
        assertEquals(2, current.images().where("status = 'error'").count());
        assertEquals(0, current.instances().count(), "no instance was ever written, and the table still reads");
        assertEquals(0, current.sequences().count());
        assertEquals(ExitCodes.OK, segment(corpus, out, "--incremental"), "nothing left to do is success");
        assertEquals(2L, count(ledger(out).get(1), "skipped_done"));
    }
}
