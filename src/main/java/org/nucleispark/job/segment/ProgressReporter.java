package org.nucleispark.job.segment;

import java.io.PrintStream;
import org.apache.spark.util.AccumulatorV2;

/**
 * Prints "files done/total, rate, ETA" every few seconds while a stage runs. Accumulators reach the
 * driver as tasks finish, so the count moves in steps of a partition. {@link #line} is the printed text.
 */
final class ProgressReporter implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stopped;

    ProgressReporter(String what, AccumulatorV2<?, Long> done, long total, long periodMillis, PrintStream out) {
        long start = System.nanoTime();
        thread = new Thread(() -> {
            long last = -1;
            while (!stopped) {
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
                // never past the total, whatever an accumulator reports (see InputsDone)
                long n = Math.min(done.value(), total);
                if (n == last || stopped) continue;
                last = n;
                out.println(line(what, n, total, (System.nanoTime() - start) / 1e9));
            }
        }, "nucleispark-progress");
        thread.setDaemon(true);
        thread.start();
    }

    static String line(String what, long n, long total, double secs) {
        double rate = n / Math.max(secs, 1e-9);
        String eta = rate > 0 ? String.format("%.0fs", (total - n) / rate) : "?";
        return String.format("%s: %d/%d files (%.0f%%), %.2f files/s, ETA %s", what, n, total, 100.0 * n / Math.max(total, 1), rate, eta);
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
