package org.nucleispark.job.segment;

import org.nucleispark.store.StageSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StageClockTest {
    private static final long S = 1_000_000_000L;

    @Test
    void singleImageSplitsAtTheSegmentCall() {
        // read 0→1 s, decode 1→3 s, segment 3→7 s of which 3 s inference, measure 7→8 s
        List<StageSeconds> s = StageClock.split(0, S, List.of(new long[] {3 * S, 7 * S, 3 * S}), 8 * S, 1);
        assertEquals(List.of(new StageSeconds(1, 2, 3, 1, 1)), s);
    }

    @Test
    void stackSharesReadAndDecodeAmongItsFrames() {
        // read 0→2, decode 2→4 (both pages), page 0: segment 4→5 (no model), measure 5→6;
        // page 1: segment 6→9 of which 2 s inference, measure 9→10
        List<StageSeconds> s = StageClock.split(0, 2 * S,
                List.of(new long[] {4 * S, 5 * S, 0}, new long[] {6 * S, 9 * S, 2 * S}), 10 * S, 2);
        assertEquals(List.of(new StageSeconds(1, 1, 0, 1, 1), new StageSeconds(1, 1, 2, 1, 1)), s);
    }

    @Test
    void undecodableFileIsAllDecode() {
        assertEquals(List.of(new StageSeconds(0.5, 2, 0, 0, 0)), StageClock.split(0, S / 2, List.of(), S / 2 + 2 * S, 1));
    }

    @Test
    void blocksSumTheirCallsAndShareThemAmongFrames() {
        // read 0→1, decode 1→2 (to the first call); calls 2→4 (1 s inference) and 5→8 (2 s inference);
        // the 1 s between them and the 1 s after are measuring; two frames share it all
        List<StageSeconds> s = StageClock.splitBlocks(0, S,
                List.of(new long[] {2 * S, 4 * S, S}, new long[] {5 * S, 8 * S, 2 * S}), 9 * S, 2);
        StageSeconds each = new StageSeconds(0.5, 0.5, 1.5, 1, 1);
        assertEquals(List.of(each, each), s);
    }

    @Test
    void inferenceNeverExceedsItsCall() {
        // a clock reading larger than the call (impossible, but the split must still add up)
        List<StageSeconds> s = StageClock.split(0, 0, List.of(new long[] {0, S, 5 * S}), S, 1);
        assertEquals(List.of(new StageSeconds(0, 0, 1, 0, 0)), s);
    }
}
