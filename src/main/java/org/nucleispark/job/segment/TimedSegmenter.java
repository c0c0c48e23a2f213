package org.nucleispark.job.segment;

import java.util.ArrayList;
import java.util.List;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageStatistics;
import org.nucleispark.segment.InferenceClock;
import org.nucleispark.image.Segmentation;
import org.nucleispark.segment.Segmenter;

/**
 * Wraps the shared segmenter for one task and records when each {@code segment} call starts and ends,
 * with the inference time inside each call ({@link InferenceClock}), so that {@link StageClock} can
 * split a file's processing into decode / inference / post-processing / measure without changing
 * {@link org.nucleispark.segment.ImageProcessor}. One instance per task thread: not shared.
 */
final class TimedSegmenter implements Segmenter {
    private final Segmenter delegate;
    private final List<long[]> calls = new ArrayList<>();

    TimedSegmenter(Segmenter delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String version() {
        return delegate.version();
    }

    @Override
    public Segmentation segment(Image image) {
        long[] call = start();
        try {
            return delegate.segment(image);
        } finally {
            end(call);
        }
    }

    @Override
    public ImageStatistics statistics(Image sample, List<Image> windows) {
        return delegate.statistics(sample, windows);
    }

    @Override
    public boolean readsWindows(Image sample) {
        return delegate.readsWindows(sample);
    }

    @Override
    public Segmentation segment(Image block, ImageStatistics wholeImage) {
        long[] call = start();
        try {
            return delegate.segment(block, wholeImage);
        } finally {
            end(call);
        }
    }

    /** [start, end, inference nanos within]; the third holds the thread's inference clock until {@link #end}. */
    private long[] start() {
        long[] call = {System.nanoTime(), 0, InferenceClock.nanos()};
        calls.add(call);
        return call;
    }

    private static void end(long[] call) {
        call[1] = System.nanoTime();
        call[2] = InferenceClock.nanos() - call[2];
    }

    /** The calls since the last reset, in call order: [start, end, of which inference] in nanoseconds. */
    List<long[]> calls() {
        return calls;
    }

    void reset() {
        calls.clear();
    }

    /** The shared segmenter belongs to the JVM-wide cache; a task must not close it. */
    @Override
    public void close() {}
}
