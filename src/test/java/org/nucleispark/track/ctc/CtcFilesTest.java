package org.nucleispark.track.ctc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nucleispark.image.LabelImage;
import org.nucleispark.track.Spot;
import org.nucleispark.track.TrackOptions;
import org.nucleispark.track.Tracker;
import org.nucleispark.track.Tracking;

class CtcFilesTest {
    @TempDir Path dir;

    @Test
    void labelsAndTracksSurviveAWriteAndARead() throws Exception {
        // a label above 32767 checks that 16 bits are read back unsigned
        SortedMap<Integer, LabelImage> frames = new TreeMap<>();
        frames.put(0, new LabelImage(3, 2, new int[] {0, 1, 1, 40000, 0, 2}));
        frames.put(1, new LabelImage(3, 2, new int[] {1, 1, 0, 0, 40000, 0}));
        List<CtcTrack> tracks = List.of(new CtcTrack(1, 0, 1, 0), new CtcTrack(2, 0, 0, 0), new CtcTrack(40000, 0, 1, 0));
        CtcSequence seq = new CtcSequence(frames, tracks);
        CtcFiles.writeResult(dir.resolve("res"), seq);
        assertTrue(Files.exists(dir.resolve("res/mask000.tif")));
        assertEquals("1 0 1 0\n2 0 0 0\n40000 0 1 0\n", Files.readString(dir.resolve("res/res_track.txt")));
        CtcSequence back = CtcFiles.readResult(dir.resolve("res"));
        assertEquals(tracks, back.tracks());
        for (int f : frames.keySet()) assertArrayEquals(frames.get(f).labels(), back.frames().get(f).labels());

        CtcFiles.writeGroundTruth(dir.resolve("gt"), seq);
        assertTrue(Files.exists(dir.resolve("gt/TRA/man_track001.tif")));
        assertEquals(1.0, CtcEvaluator.evaluate(CtcFiles.readGroundTruth(dir.resolve("gt")), back,
                CtcFiles.readSegmentation(dir.resolve("gt"))).tra());
    }

    @Test
    void framesPastNineHundredNinetyNineTakeFourDigits() {
        assertEquals(3, CtcFiles.digits(998));
        assertEquals(4, CtcFiles.digits(999));
    }

    @Test
    void aClosedGapBecomesAChildLabelAfterTheGap() {
        // one nucleus in frames 0, 1, 3: one track with a gap → CTC labels 1 (0..1) and 2 (3..3, parent 1)
        List<Spot> spots = List.of(new Spot(0, 0, 0, 20), new Spot(1, 2, 0, 20), new Spot(3, 6, 0, 20));
        Tracking t = new Tracker(new TrackOptions(10, 2, true, 0)).link(spots);
        CtcTracks.Labels labels = CtcTracks.of(spots, t);
        assertEquals(List.of(new CtcTrack(1, 0, 1, 0), new CtcTrack(2, 3, 3, 1)), labels.tracks());
        assertArrayEquals(new int[] {1, 1, 2}, labels.ctcLabelOfSpot());
    }

    @Test
    void theSyntheticLineageAgreesWithItsMasksAndLinkingRecoversIt() {
        SyntheticTimeLapse.Result seq = SyntheticTimeLapse.generate(SyntheticTimeLapse.Options.small(1));
        // every label of the lineage is painted in each frame from B to E, and nowhere else
        for (CtcTrack track : seq.truth().tracks()) {
            for (var e : seq.truth().frames().entrySet()) {
                boolean present = false;
                for (int v : e.getValue().labels()) if (v == track.label()) { present = true; break; }
                boolean expected = e.getKey() >= track.begin() && e.getKey() <= track.end();
                assertEquals(expected, present, "label " + track.label() + " frame " + e.getKey());
            }
            if (track.parent() > 0) assertTrue(seq.truth().tracks().stream().anyMatch(p -> p.label() == track.parent() && p.end() < track.begin()));
        }
        // same seed, same sequence
        assertEquals(seq.truth().tracks(), SyntheticTimeLapse.generate(SyntheticTimeLapse.Options.small(1)).truth().tracks());
        CtcScores s = SyntheticTracking.score(seq, TrackOptions.defaults(), 0, 1);
        assertEquals(1.0, s.det());
        assertTrue(s.tra() > 0.98, s.summary());
    }
}
