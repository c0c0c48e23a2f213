package org.nucleispark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StageClockTest {
    private static final long S = 1_000_000_000L;

    @Test
    void singleImageSplitsAtTheSegmentCall() {
        // read 0→1 s, decode 1→3 s, segment 3→7 s, measure 7→8 s
        List<StageSeconds> s = StageClock.split(0, S, List.of(new long[] {3 * S, 7 * S}), 8 * S, 1);
        assertEquals(List.of(new StageSeconds(1, 2, 4, 1)), s);
    }

    @Test
    void stackSharesReadAndDecodeAmongItsFrames() {
        // read 0→2, decode 2→4 (both pages), page 0: segment 4→5, measure 5→6; page 1: segment 6→9, measure 9→10
        List<StageSeconds> s = StageClock.split(0, 2 * S,
                List.of(new long[] {4 * S, 5 * S}, new long[] {6 * S, 9 * S}), 10 * S, 2);
        assertEquals(List.of(new StageSeconds(1, 1, 1, 1), new StageSeconds(1, 1, 3, 1)), s);
    }

    @Test
    void undecodableFileIsAllDecode() {
        assertEquals(List.of(new StageSeconds(0.5, 2, 0, 0)), StageClock.split(0, S / 2, List.of(), S / 2 + 2 * S, 1));
    }
}
