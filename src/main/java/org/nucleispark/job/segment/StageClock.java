package org.nucleispark.job.segment;

import org.nucleispark.store.StageSeconds;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the time of one file's processing into stages from a few timestamps: the read, and the
 * segmenter calls recorded by {@link TimedSegmenter} inside ImageProcessor's decode → (segment →
 * measure) per frame loop. Decode is the time before the first segment call; a segment call is
 * inference (the model time it recorded) and post-processing (the rest of the call); a frame's measure
 * time runs from the end of its segment call to the start of the next (or to the end of processing).
 * Plain arithmetic, no clocks of its own, so it is testable with made-up times.
 */
final class StageClock {
    private StageClock() {}

    /**
     * @param calls  [start, end, inference nanos within] of each segment call, in order; empty when decoding failed
     * @param frames number of result rows the file produced (at least 1)
     * @return one entry per row
     */
    static List<StageSeconds> split(long readStart, long processStart, List<long[]> calls, long processEnd, int frames) {
        int n = Math.max(1, frames);
        double read = (processStart - readStart) / 1e9 / n;
        List<StageSeconds> out = new ArrayList<>(n);
        if (calls.isEmpty()) {
            double decode = (processEnd - processStart) / 1e9 / n;
            for (int i = 0; i < n; i++) out.add(new StageSeconds(read, decode, 0, 0, 0));
            return out;
        }
        double decode = (calls.get(0)[0] - processStart) / 1e9 / n;
        for (int i = 0; i < n; i++) {
            if (i >= calls.size()) {
                out.add(new StageSeconds(read, decode, 0, 0, 0));
                continue;
            }
            long[] c = calls.get(i);
            long next = i + 1 < calls.size() ? calls.get(i + 1)[0] : processEnd;
            long inference = inference(c);
            out.add(new StageSeconds(read, decode, inference / 1e9, (c[1] - c[0] - inference) / 1e9, (next - c[1]) / 1e9));
        }
        return out;
    }

    /**
     * A file segmented block by block: many segment calls per frame, interleaved with block reads
     * and measuring, which these timestamps do not tell apart. Decode is the time to the first call
     * (header, statistics sample, first block), inference and post-processing the calls' sums, measure
     * the rest; all shared evenly among the frames.
     */
    static List<StageSeconds> splitBlocks(long readStart, long processStart, List<long[]> calls, long processEnd, int frames) {
        if (calls.isEmpty()) return split(readStart, processStart, calls, processEnd, frames);
        int n = Math.max(1, frames);
        double read = (processStart - readStart) / 1e9 / n;
        double decode = (calls.get(0)[0] - processStart) / 1e9 / n;
        long segment = 0, inference = 0;
        for (long[] c : calls) {
            segment += c[1] - c[0];
            inference += inference(c);
        }
        double measure = (processEnd - calls.get(0)[0] - segment) / 1e9 / n;
        List<StageSeconds> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new StageSeconds(read, decode, inference / 1e9 / n, (segment - inference) / 1e9 / n, measure));
        }
        return out;
    }

    /** A call's inference nanos, never more than the call. */
    private static long inference(long[] call) {
        return Math.max(0, Math.min(call[2], call[1] - call[0]));
    }
}
