package org.nucleispark.segment;

/**
 * Sizes libtorch's intra-op thread pool to one Spark task's cores. By default libtorch starts one
 * thread per core in every JVM, and an executor runs one task per core: 8 task slots would then drive
 * 64 compute threads on 8 cores, each task slowed by the others' threads (measured here: with the
 * default, one task already kept both cores busy and a second task gained only 10%). With one
 * thread per task core, N slots use N cores and scaling is the executor's.
 *
 * <p>DJL reads {@value #PROPERTY} once, when the PyTorch engine starts, so the first call in a JVM
 * decides; a value set by the user (e.g. {@code -Dai.djl.pytorch.num_threads=4} in
 * {@code spark.executor.extraJavaOptions}) is never overridden.
 */
public final class TorchThreads {
    static final String PROPERTY = "ai.djl.pytorch.num_threads";

    private TorchThreads() {}

    /** @param taskCpus cores one task may use ({@code spark.task.cpus}, 1 by default) */
    public static synchronized void perTask(int taskCpus) {
        if (System.getProperty(PROPERTY) == null) System.setProperty(PROPERTY, String.valueOf(Math.max(1, taskCpus)));
    }
}
