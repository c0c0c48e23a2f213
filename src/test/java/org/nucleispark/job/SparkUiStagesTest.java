package org.nucleispark.job;

import org.nucleispark.runtime.ExitCodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The Spark UI (and event log) of a segment run reads like the data flow: every Spark job the run
 * starts belongs to the run's job group (its run id) and carries the description of its stage.
 */
class SparkUiStagesTest {
    @Test
    void everyJobOfARunIsInItsGroupAndDescribedByItsStage() throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("nucleispark-ui");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("ui-test").config("spark.ui.enabled", "false").getOrCreate();
        List<String[]> jobs = Collections.synchronizedList(new ArrayList<>());
        try {
            spark.sparkContext().addSparkListener(new SparkListener() {
                @Override
                public void onJobStart(SparkListenerJobStart start) {
                    jobs.add(new String[] {start.properties().getProperty("spark.jobGroup.id"),
                            start.properties().getProperty("spark.job.description")});
                }
            });
            SmallCorpus corpus = new SmallCorpus(tmp.resolve("in"));
            corpus.add(3);
            Path out = tmp.resolve("out");
            java.io.PrintStream stdout = System.out;
            java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
            int exit;
            try {
                System.setOut(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
                exit = Main.run("segment", "--model", "classical", "--input", corpus.dir().toString(), "--output", out.toString(),
                        "--incremental", "--identity", "hash", "--labels");
            } finally {
                System.setOut(stdout);
            }
            String text = log.toString(java.nio.charset.StandardCharsets.UTF_8);
            System.out.print(text);
            assertEquals(ExitCodes.OK, exit);
            Thread.sleep(500); // listener events arrive asynchronously
            String runId = spark.read().parquet(out.resolve("runs").toString()).first().getAs("run_id");
            List<String[]> runJobs = new ArrayList<>();
            synchronized (jobs) {
                for (String[] j : jobs) if (runId.equals(j[0])) runJobs.add(j);
            }
            assertTrue(runJobs.size() >= 6, "the run's jobs are grouped under its run id: " + runJobs.size());
            Set<String> stages = new TreeSet<>();
            for (String[] j : runJobs) {
                assertTrue(j[1] != null && j[1].matches("[a-z]+: .+"), "described: " + j[1]);
                stages.add(j[1].substring(0, j[1].indexOf(':')));
            }
            assertTrue(stages.containsAll(List.of("identify", "segment", "write", "summary", "ledger")), stages.toString());
            assertTrue(runJobs.stream().anyMatch(j -> j[1].startsWith("write: instances/")));
            assertTrue(runJobs.stream().anyMatch(j -> j[1].startsWith("write: labels/")));
            // and one key=value log line per stage, in data-flow order
            List<String> stageLines = text.lines().filter(l -> l.startsWith("stage=")).toList();
            List<String> order = stageLines.stream().map(l -> l.substring(6, l.indexOf(' '))).toList();
            assertEquals(List.of("list", "identify", "plan", "segment", "write", "summary", "ledger"), order, text);
            assertTrue(stageLines.get(0).matches("stage=list files=3 seconds=[0-9.]+"), stageLines.get(0));
            assertTrue(stageLines.get(2).startsWith("stage=plan files=3 skipped_done=0 to_process=3 "), stageLines.get(2));
            assertTrue(stageLines.get(5).startsWith("stage=summary ok=3 failed=0 nuclei="), stageLines.get(5));
            assertEquals("stage=ledger run_id=" + runId, stageLines.get(6).replaceAll(" seconds=.*", ""));
        } finally {
            spark.stop();
            org.apache.commons.io.FileUtils.deleteQuietly(tmp.toFile());
        }
    }
}
