package org.nucleispark.job.segment;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.util.AccumulatorV2;

/**
 * Inputs finished, counted once per partition whatever the retries. A {@code LongAccumulator} updated
 * inside a transformation is added again by every re-run of a task (a lost executor's shuffle output
 * or cached blocks make Spark re-run tasks that had succeeded), so progress read 11/10 files (110%)
 * after an executor was killed. Here each task reports (partition → inputs done in this attempt) and the
 * driver keeps the largest count per partition: a re-run of the same partition processes the same
 * inputs, so it replaces, not adds to, its earlier count. The map has one entry per partition.
 */
final class InputsDone extends AccumulatorV2<Integer, Long> {
    private final HashMap<Integer, Long> byPartition = new HashMap<>();

    /** One more input done by the task computing {@code partition}. */
    @Override
    public synchronized void add(Integer partition) {
        byPartition.merge(partition, 1L, Long::sum);
    }

    @Override
    public synchronized void merge(AccumulatorV2<Integer, Long> other) {
        Map<Integer, Long> theirs;
        synchronized (other) {
            theirs = new HashMap<>(((InputsDone) other).byPartition);
        }
        theirs.forEach((p, n) -> byPartition.merge(p, n, Math::max));
    }

    @Override
    public synchronized Long value() {
        long sum = 0;
        for (long n : byPartition.values()) sum += n;
        return sum;
    }

    @Override
    public synchronized boolean isZero() {
        return byPartition.isEmpty();
    }

    @Override
    public synchronized AccumulatorV2<Integer, Long> copy() {
        InputsDone c = new InputsDone();
        c.byPartition.putAll(byPartition);
        return c;
    }

    @Override
    public synchronized void reset() {
        byPartition.clear();
    }
}
