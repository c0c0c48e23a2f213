package org.nucleispark.job.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.nucleispark.segment.SegmenterSpec;
import org.nucleispark.segment.Segmenters;

/**
 * Two tasks running at the same time in one executor (local[2]: one JVM, two task threads) must get
 * the same segmenter object, so model weights are loaded once per executor, not once per task.
 */
class ModelCachePerExecutorTest {
    /** Both tasks wait here until the other has started, so they really ask the cache concurrently. */
    private static final CountDownLatch BOTH_STARTED = new CountDownLatch(2);

    @Test
    void concurrentTasksShareOneSegmenter() {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("model-cache").getOrCreate();
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            SegmenterSpec spec = new SegmenterSpec("classical", "models");
            List<String> seen = jsc.parallelize(List.of(0, 1), 2).mapPartitions(it -> {
                BOTH_STARTED.countDown();
                if (!BOTH_STARTED.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("the other task never started");
                int identity = System.identityHashCode(Segmenters.get(spec));
                return List.of(Thread.currentThread().getName() + "=" + identity).iterator();
            }).collect();
            assertEquals(2, seen.size());
            Set<String> threads = new HashSet<>();
            Set<String> identities = new HashSet<>();
            for (String s : seen) {
                threads.add(s.substring(0, s.indexOf('=')));
                identities.add(s.substring(s.indexOf('=') + 1));
            }
            assertEquals(2, threads.size(), "two task threads: " + seen);
            assertEquals(1, identities.size(), "one segmenter instance: " + seen);
            // local mode: the executor is the driver's JVM, so the driver's lookup sees the same object
            assertTrue(identities.contains(String.valueOf(System.identityHashCode(Segmenters.get(spec)))), seen.toString());
        } finally {
            spark.stop();
        }
    }
}
