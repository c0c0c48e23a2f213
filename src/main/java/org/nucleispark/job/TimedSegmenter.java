package org.nucleispark.job;

import java.util.ArrayList;
import java.util.List;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageStatistics;
import org.nucleispark.segment.Segmentation;
import org.nucleispark.segment.Segmenter;

/**
 * Wraps the shared segmenter for one task and records when each {@code segment} call starts and ends,
 * so that {@link StageClock} can split a file's processing into decode / segment / measure without
 * changing {@link org.nucleispark.segment.ImageProcessor}. One instance per task thread: not shared.
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
        long[] call = {System.nanoTime(), 0};
        calls.add(call);
        try {
            return delegate.segment(image);
        } finally {
            call[1] = System.nanoTime();
        }
    }

    @Override
    public ImageStatistics statistics(Image sample) {
        return delegate.statistics(sample);
    }

    @Override
    public Segmentation segment(Image block, ImageStatistics wholeImage) {
        long[] call = {System.nanoTime(), 0};
        calls.add(call);
        try {
            return delegate.segment(block, wholeImage);
        } finally {
            call[1] = System.nanoTime();
        }
    }

    /** The [start, end] nano times of the calls since the last reset, in call order. */
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
