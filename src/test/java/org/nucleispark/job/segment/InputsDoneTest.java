package org.nucleispark.job.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.util.AccumulatorV2;
import org.junit.jupiter.api.Test;

/** Issue 16: after an executor was killed, progress read 11/10 files (110%): re-run tasks were counted twice. */
class InputsDoneTest {
    /** What Spark does with a task's accumulator: a zeroed copy per attempt, merged into the driver's on success. */
    private static AccumulatorV2<Integer, Long> attempt(InputsDone driver, int partition, int inputs) {
        AccumulatorV2<Integer, Long> task = driver.copy();
        task.reset();
        for (int i = 0; i < inputs; i++) task.add(partition);
        return task;
    }

    @Test
    void aRetriedPartitionIsCountedOnce() {
        InputsDone driver = new InputsDone();
        for (int p = 0; p < 5; p++) driver.merge(attempt(driver, p, 2)); // 10 inputs in 5 partitions
        assertEquals(10L, driver.value());
        // executor lost: partition 3 succeeded before, its output is gone, Spark runs it again
        driver.merge(attempt(driver, 3, 2));
        assertEquals(10L, driver.value());
        assertEquals("segment: 10/10 files (100%), 1.00 files/s, ETA 0s", ProgressReporter.line("segment", driver.value(), 10, 10));
    }

    @Test
    void aPartialAttemptNeverLowersTheCount() {
        InputsDone driver = new InputsDone();
        driver.merge(attempt(driver, 0, 3));
        driver.merge(attempt(driver, 0, 1)); // a later attempt reported less (merged out of order)
        assertEquals(3L, driver.value());
    }
}
