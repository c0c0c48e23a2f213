package org.nucleispark.job.segment;

import java.io.Serializable;
import java.util.Set;
import org.apache.spark.TaskContext;

/**
 * Test-only: makes the first attempt of the chosen partitions throw after doing all of their work,
 * as an executor lost at the last moment would. Spark then retries the task (when the master allows
 * retries, e.g. {@code local[2,3]}), and the output must equal a fault-free run's: that is what
 * proves that a failed attempt's rows never reach the tables.
 */
public final class FaultInjection implements Serializable {
    public static final FaultInjection NONE = new FaultInjection(Set.of());
    private final Set<Integer> partitions;

    public FaultInjection(Set<Integer> partitions) {
        this.partitions = Set.copyOf(partitions);
    }

    boolean active() {
        return !partitions.isEmpty();
    }

    /** Called by a task when its partition's work is done, before its last row is handed to Spark. */
    void maybeFail() {
        TaskContext ctx = TaskContext.get();
        if (ctx != null && ctx.attemptNumber() == 0 && partitions.contains(ctx.partitionId())) {
            throw new InjectedFault("injected fault: first attempt of partition " + ctx.partitionId()
                    + " (--fail-first-attempt-of-partitions, a test option)");
        }
    }

    static final class InjectedFault extends RuntimeException {
        InjectedFault(String message) {
            super(message);
        }
    }
}
