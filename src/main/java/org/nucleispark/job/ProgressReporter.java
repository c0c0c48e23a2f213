package org.nucleispark.job;

import java.io.PrintStream;
import org.apache.spark.util.LongAccumulator;

/**
 * Prints "files done/total, rate, ETA" every few seconds while a stage runs. Accumulators reach the
 * driver as tasks finish, so the count moves in steps of a partition.
 */
final class ProgressReporter implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stopped;

    ProgressReporter(String what, LongAccumulator done, long total, long periodMillis, PrintStream out) {
        long start = System.nanoTime();
        thread = new Thread(() -> {
            long last = -1;
            while (!stopped) {
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
                long n = done.value();
                if (n == last || stopped) continue;
                last = n;
                double secs = (System.nanoTime() - start) / 1e9;
                double rate = n / Math.max(secs, 1e-9);
                String eta = rate > 0 ? String.format("%.0fs", (total - n) / rate) : "?";
                out.printf("%s: %d/%d files (%.0f%%), %.2f files/s, ETA %s%n", what, n, total, 100.0 * n / Math.max(total, 1), rate, eta);
            }
        }, "nucleispark-progress");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
