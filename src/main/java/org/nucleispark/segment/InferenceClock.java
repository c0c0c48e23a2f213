package org.nucleispark.segment;

/**
 * Nanoseconds this thread has spent in model inference (a {@link TorchModel} call: input copy,
 * forward pass, output copy back), so that a caller timing a whole segmenter call can tell inference
 * from the CPU work around it (normalisation, tiling, watershed, NMS). On a GPU executor these are the
 * seconds the GPU is needed for; the rest runs on the executor's cores. A thread-local counter, not a
 * parameter, because the models sit several layers below the segmenter interface that a task calls.
 */
public final class InferenceClock {
    private static final ThreadLocal<long[]> NANOS = ThreadLocal.withInitial(() -> new long[1]);

    private InferenceClock() {}

    /** The running total for this thread; subtract two readings to time a span. */
    public static long nanos() {
        return NANOS.get()[0];
    }

    static void add(long nanos) {
        NANOS.get()[0] += nanos;
    }
}
