package org.nucleispark.segment;

import org.nucleispark.image.OpenCv;
import org.opencv.core.Core;

/**
 * Sizes the native thread pools (libtorch's intra-op pool, OpenCV's parallel_for pool) to one Spark
 * task's cores. By default each starts one thread per core in every JVM, and an executor runs one
 * task per core: 8 task slots would then drive 64 compute threads on 8 cores, each task slowed by the
 * others' threads (measured here: with libtorch's default, one task already kept both cores busy and a
 * second task gained only 10%). With one thread per task core, N slots use N cores and scaling is the
 * executor's.
 *
 * <p>DJL reads {@value #TORCH_PROPERTY} once, when the PyTorch engine starts, so the first call in a
 * JVM decides; a value set by the user (e.g. {@code -Dai.djl.pytorch.num_threads=4} in
 * {@code spark.executor.extraJavaOptions}) is never overridden. OpenCV's pool is process-wide and can
 * be resized at any time; it is left alone when the user sets {@value #OPENCV_ENV} for the executors.
 */
public final class TaskThreads {
    static final String TORCH_PROPERTY = "ai.djl.pytorch.num_threads";
    static final String OPENCV_ENV = "OPENCV_FOR_THREADS_NUM";

    private TaskThreads() {}

    /** Threads one task's engine call may use: what {@link #perTask} set (or the user did), else every core. */
    public static int threads() {
        Integer n = Integer.getInteger(TORCH_PROPERTY);
        return n != null && n > 0 ? n : Runtime.getRuntime().availableProcessors();
    }

    /** @param taskCpus cores one task may use ({@code spark.task.cpus}, 1 by default) */
    public static synchronized void perTask(int taskCpus) {
        int threads = Math.max(1, taskCpus);
        if (System.getProperty(TORCH_PROPERTY) == null) System.setProperty(TORCH_PROPERTY, String.valueOf(threads));
        if (System.getenv(OPENCV_ENV) == null) {
            OpenCv.ensureLoaded();
            // only when it differs: resizing the pool while another task's call runs on it is best avoided
            if (Core.getNumThreads() != threads) Core.setNumThreads(threads);
        }
    }
}
