package org.nucleispark.track.ctc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.LabelImage;

/**
 * One-row, 20-pixel frames; objects are runs of pixels. Reference: nucleus 1 at x 0..3 and nucleus 2
 * at x 10..13 in frames 0..2: 6 vertices, 4 edges, so AOGM₀ = 10·6 + 1.5·4 = 66 and AOGM-D₀ = 60.
 */
class CtcEvaluatorTest {
    private static final int W = 20;

    /** runs: label, x0, x1 (inclusive), ... */
    static LabelImage row(int... runs) {
        int[] px = new int[W];
        for (int k = 0; k < runs.length; k += 3) for (int x = runs[k + 1]; x <= runs[k + 2]; x++) px[x] = runs[k];
        return new LabelImage(W, 1, px);
    }

    static SortedMap<Integer, LabelImage> frames(LabelImage... f) {
        SortedMap<Integer, LabelImage> out = new TreeMap<>();
        for (int i = 0; i < f.length; i++) out.put(i, f[i]);
        return out;
    }

    private static final LabelImage BOTH = row(1, 0, 3, 2, 10, 13);
    private static final CtcSequence REFERENCE = new CtcSequence(frames(BOTH, BOTH, BOTH),
            List.of(new CtcTrack(1, 0, 2, 0), new CtcTrack(2, 0, 2, 0)));

    private static CtcScores score(CtcSequence result) {
        return CtcEvaluator.evaluate(REFERENCE, result, REFERENCE.frames());
    }

    @Test
    void aPerfectResultScoresOneWhateverItsLabels() {
        LabelImage f = row(7, 0, 3, 9, 10, 13);
        CtcScores s = score(new CtcSequence(frames(f, f, f), List.of(new CtcTrack(7, 0, 2, 0), new CtcTrack(9, 0, 2, 0))));
        assertEquals(0, s.aogm());
        assertEquals(66, s.aogm0());
        assertEquals(1.0, s.tra());
        assertEquals(1.0, s.det());
        assertEquals(1.0, s.seg());
    }

    @Test
    void aDeletedObjectCostsOneFalseNegativeAndItsTwoEdges() {
        // nucleus 2 missing in frame 1: FN 10 + EA 2 × 1.5 = 13
        CtcScores s = score(new CtcSequence(frames(row(1, 0, 3, 2, 10, 13), row(1, 0, 3), row(1, 0, 3, 3, 10, 13)),
                List.of(new CtcTrack(1, 0, 2, 0), new CtcTrack(2, 0, 0, 0), new CtcTrack(3, 2, 2, 0))));
        assertEquals(1, s.falseNegatives());
        assertEquals(2, s.edgesToAdd());
        assertEquals(13, s.aogm());
        assertEquals(1 - 13 / 66.0, s.tra(), 1e-12);
        assertEquals(1 - 10 / 60.0, s.det(), 1e-12);
    }

    @Test
    void aMergeCostsASplitAndTheEdgesOfTheMergedObject() {
        // frame 1: one result object over both nuclei → NS 5; the four reference edges touch a
        // vertex matched twice, so none is found: EA 4 × 1.5 = 6; result edges there are not compared
        CtcScores s = score(new CtcSequence(frames(row(1, 0, 3, 2, 10, 13), row(1, 0, 13), row(1, 0, 3, 3, 10, 13)),
                List.of(new CtcTrack(1, 0, 2, 0), new CtcTrack(2, 0, 0, 0), new CtcTrack(3, 2, 2, 0))));
        assertEquals(1, s.splits());
        assertEquals(0, s.falseNegatives());
        assertEquals(4, s.edgesToAdd());
        assertEquals(0, s.edgesToDelete());
        assertEquals(11, s.aogm());
        assertEquals(1 - 5 / 60.0, s.det(), 1e-12);
    }

    @Test
    void anIdentitySwitchCostsTwoWrongEdgesAndTwoMissingOnes() {
        // labels swap between frames 1 and 2: ED 2 × 1 + EA 2 × 1.5 = 5
        LabelImage f = row(1, 0, 3, 2, 10, 13);
        CtcScores s = score(new CtcSequence(frames(f, f, row(2, 0, 3, 1, 10, 13)),
                List.of(new CtcTrack(1, 0, 2, 0), new CtcTrack(2, 0, 2, 0))));
        assertEquals(2, s.edgesToDelete());
        assertEquals(2, s.edgesToAdd());
        assertEquals(5, s.aogm());
        assertEquals(1 - 5 / 66.0, s.tra(), 1e-12);
        assertEquals(1.0, s.det());
    }

    @Test
    void aBrokenTrackCostsOneMissingEdgeOrOneSemanticChangeWhenLinkedAsAChild() {
        LabelImage f = row(1, 0, 3, 2, 10, 13);
        SortedMap<Integer, LabelImage> broken = frames(f, f, row(1, 0, 3, 3, 10, 13));
        CtcScores cut = score(new CtcSequence(broken, List.of(new CtcTrack(1, 0, 2, 0), new CtcTrack(2, 0, 1, 0), new CtcTrack(3, 2, 2, 0))));
        assertEquals(1.5, cut.aogm());
        CtcScores child = score(new CtcSequence(broken, List.of(new CtcTrack(1, 0, 2, 0), new CtcTrack(2, 0, 1, 0), new CtcTrack(3, 2, 2, 2))));
        assertEquals(1, child.edgesToChange());
        assertEquals(1.0, child.aogm());
    }

    @Test
    void aMissedDivisionCostsASemanticChangeAndAMissingParentLink() {
        // mother 1 at x 4..9 in frames 0,1; daughters 2 (x 0..3) and 3 (x 10..13) in frames 2,3.
        // 6 vertices, 3 track edges + 2 parent links: AOGM₀ = 60 + 1.5·5 = 67.5
        LabelImage mother = row(1, 4, 9), daughters = row(2, 0, 3, 3, 10, 13);
        CtcSequence ref = new CtcSequence(frames(mother, mother, daughters, daughters),
                List.of(new CtcTrack(1, 0, 1, 0), new CtcTrack(2, 2, 3, 1), new CtcTrack(3, 2, 3, 1)));
        // result: the mother carries on as the left daughter; the right daughter has no parent
        LabelImage r = row(1, 0, 3, 2, 10, 13);
        CtcSequence res = new CtcSequence(frames(row(1, 4, 9), row(1, 4, 9), r, r),
                List.of(new CtcTrack(1, 0, 3, 0), new CtcTrack(2, 2, 3, 0)));
        CtcScores s = CtcEvaluator.evaluate(ref, res, null);
        assertEquals(67.5, s.aogm0());
        assertEquals(1, s.edgesToChange());
        assertEquals(1, s.edgesToAdd());
        assertEquals(2.5, s.aogm());
        assertEquals(1 - 2.5 / 67.5, s.tra(), 1e-12);
        assertEquals(Double.NaN, s.seg());
        // and the right answer scores 1
        assertEquals(1.0, CtcEvaluator.evaluate(ref, ref, null).tra());
    }

    @Test
    void segIsTheMeanJaccardOverReferenceObjectsCoveredMoreThanHalf() {
        // ref 1 = x 0..7, ref 2 = x 10..17 (8 px each); result 5 = x 3..10 covers 5 px of ref 1:
        // J = 5 / (8 + 8 − 5) = 5/11; result 6 = x 14..19 covers exactly half of ref 2 → 0
        SortedMap<Integer, LabelImage> ref = frames(row(1, 0, 7, 2, 10, 17));
        SortedMap<Integer, LabelImage> res = frames(row(5, 3, 10, 6, 14, 19));
        assertEquals(5 / 22.0, CtcEvaluator.seg(ref, res), 1e-12);
    }
}
