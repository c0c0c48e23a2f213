package org.nucleispark.job;

import org.nucleispark.job.segment.IncrementalRunsTest;
import org.nucleispark.runtime.ExitCodes;
import org.nucleispark.store.CurrentResults;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Failed task attempts and crashed runs leave no trace in the results. The session runs
 * {@code local[2,3]}: two threads, and a task may fail up to 3 times before the job does, as on a
 * cluster (plain {@code local[N]} never retries). The CLI reuses this session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultToleranceTest {
    private Path tmp;
    private SparkSession spark;
    private final AtomicInteger failedTasks = new AtomicInteger();

    @BeforeAll
    void start() throws IOException {
        tmp = Files.createTempDirectory("nucleispark-faults");
        spark = SparkSession.builder().master("local[2,3]").appName("fault-test")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskInfo().failed()) failedTasks.incrementAndGet();
            }
        });
    }

    @AfterAll
    void stop() {
        if (spark != null) spark.stop();
        org.apache.commons.io.FileUtils.deleteQuietly(tmp.toFile());
    }

    private static int segment(Path in, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("segment", "--model", "classical", "--input", in.toString(), "--output", out.toString()));
        args.addAll(Arrays.asList(extra));
        return Main.run(args.toArray(String[]::new));
    }

    @Test
    void aRunWhoseTasksFailOnceEqualsACleanRunRowForRow() throws IOException, InterruptedException {
        SmallCorpus corpus = new SmallCorpus(tmp.resolve("retry/in"));
        corpus.add(10);
        corpus.addCorrupt("broken.png");
        Path clean = tmp.resolve("retry/clean");
        Path faulty = tmp.resolve("retry/faulty");
        assertEquals(ExitCodes.OK, segment(corpus.dir(), clean, "--partitions", "4", "--labels"));
        waitForListener();
        assertEquals(0, failedTasks.get(), "the clean run has no failed task");
        assertEquals(ExitCodes.OK, segment(corpus.dir(), faulty, "--partitions", "4", "--labels",
                "--fail-first-attempt-of-partitions", "0,2"));
        waitForListener();
        assertEquals(2, failedTasks.get(), "partitions 0 and 2 failed once each, and were retried");

        for (String table : List.of("images", "instances", "sequences")) {
            List<String> a = IncrementalRunsTest.rows(spark.read().parquet(clean.resolve(table).toString()), false);
            List<String> b = IncrementalRunsTest.rows(spark.read().parquet(faulty.resolve(table).toString()), false);
            assertTrue(a.size() >= 10, table);
            assertEquals(a, b, table + ": the retried run equals the clean run row for row");
        }
        for (int i = 0; i < 10; i++) {
            String name = String.format("img%02d.png", i);
            assertArrayEquals(Files.readAllBytes(clean.resolve("labels").resolve(name)),
                    Files.readAllBytes(faulty.resolve("labels").resolve(name)), name);
        }
        Row run = spark.read().parquet(faulty.resolve("runs").toString()).first();
        assertEquals(10L, run.<Long>getAs("processed_ok"), "a failed attempt's images are not counted twice");
        assertEquals(1L, run.<Long>getAs("failed"));
    }

    /** Task-end events reach listeners asynchronously. */
    private static void waitForListener() throws InterruptedException {
        Thread.sleep(500);
    }

    @Test
    void aRunThatCrashedBeforeItsLedgerRowIsIgnoredAndTheNextRunFinishesItsWork() throws IOException {
        SmallCorpus corpus = new SmallCorpus(tmp.resolve("crash/in"));
        Path out = tmp.resolve("crash/out");
        corpus.add(3);
        assertEquals(ExitCodes.OK, segment(corpus.dir(), out, "--incremental"));
        List<String> committed = IncrementalRunsTest.rows(CurrentResults.of(spark, out.toString()).images(), true);
        corpus.add(2);
        assertEquals(ExitCodes.OK, segment(corpus.dir(), out, "--incremental"));
        // simulate a crash after the tables were written and before the ledger row: remove that row's file
        List<Row> runs = spark.read().parquet(out.resolve("runs").toString())
                .select(col("run_id"), input_file_name().as("file")).orderBy("run_id").collectAsList();
        Files.delete(Paths.get(URI.create(runs.get(1).getString(1))));
        Files.deleteIfExists(Paths.get(URI.create(runs.get(1).getString(1).replaceAll("/([^/]+)$", "/.$1.crc"))));

        assertEquals(5, spark.read().parquet(out.resolve("images").toString()).count(), "the crashed run's rows are on disk");
        assertEquals(committed, IncrementalRunsTest.rows(CurrentResults.of(spark, out.toString()).images(), true),
                "but readers see the previous complete output");
        assertEquals(ExitCodes.OK, segment(corpus.dir(), out, "--incremental"));
        CurrentResults after = CurrentResults.of(spark, out.toString());
        assertEquals(5, after.images().count(), "the next run did the crashed run's work, once");
        assertTrue(IncrementalRunsTest.rows(after.images(), true).containsAll(committed));
        Row last = spark.read().parquet(out.resolve("runs").toString()).orderBy(col("run_id").desc()).first();
        assertEquals(2L, last.<Long>getAs("processed_ok"));
        assertEquals(3L, last.<Long>getAs("skipped_done"));
        try (Stream<Path> s = Files.list(out.resolve("instances"))) {
            assertEquals(3, s.filter(p -> p.getFileName().toString().startsWith("run_id=")).count(),
                    "instances/ holds the crashed run's folder too, ignored by readers");
        }
        assertEquals(after.images().select("image_id").distinct().count(),
                after.instances().select("image_id").distinct().count(), "instances follow their images' current run");
    }
}
