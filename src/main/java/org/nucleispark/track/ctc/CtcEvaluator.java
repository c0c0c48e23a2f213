package org.nucleispark.track.ctc;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import org.nucleispark.image.LabelImage;
import java.util.Set;

/**
 * DET, TRA and SEG as the Cell Tracking Challenge computes them (Matula et al. 2015; Ulman et al.
 * 2017). In each frame a reference object is matched by the result object covering more than half
 * of its pixels (so by at most one). A result object matching k ≥ 2 references costs k − 1 splits
 * (NS), one matching none is a false positive (FP), an unmatched reference a false negative (FN).
 * Edges are a track's consecutive frames and a parent's last frame → a child's first. Only edges
 * whose two ends are each matched to exactly one object are compared: a result edge with no
 * reference counterpart is ED, a reference edge with no result counterpart EA, and a counterpart of
 * the other kind (track link vs parent link) EC. Weights NS 5, FN 10, FP 1, ED 1, EA 1.5, EC 1;
 * TRA = 1 − min(AOGM, AOGM₀)/AOGM₀ with AOGM₀ the cost of building the reference from nothing
 * (every vertex FN, every edge EA); DET the same with the vertex operations only.
 */
public final class CtcEvaluator {
    private CtcEvaluator() {}

    /** One frame's matching: reference label → result label (0 none), and each result label's match count. */
    private record Level(Map<Integer, Integer> refToRes, Map<Integer, Integer> resMatches, Map<Integer, Integer> resToRef) {}

    public static CtcScores evaluate(CtcSequence reference, CtcSequence result, SortedMap<Integer, LabelImage> segReference) {
        Map<Integer, Level> levels = new HashMap<>();
        int ns = 0, fn = 0, fp = 0, nRefVertices = 0;
        for (var e : reference.frames().entrySet()) {
            LabelImage ref = e.getValue();
            LabelImage res = result.frames().get(e.getKey());
            Level level = match(ref, res);
            levels.put(e.getKey(), level);
            nRefVertices += level.refToRes().size();
            for (int r : level.refToRes().values()) if (r == 0) fn++;
            for (int k : level.resMatches().values()) { if (k == 0) fp++; else ns += k - 1; }
        }
        // result frames with no reference frame: every object there is a false positive
        for (var e : result.frames().entrySet()) {
            if (!reference.frames().containsKey(e.getKey())) fp += labelsOf(e.getValue()).size();
        }
        Map<Integer, CtcTrack> refTracks = byLabel(reference), resTracks = byLabel(result);
        int ed = 0, ec = 0, ea = 0;
        // result edges
        for (CtcTrack t : result.tracks()) {
            if (t.parent() > 0 && resTracks.containsKey(t.parent())) {
                int kind = refEdge(levels, refTracks, resTracks.get(t.parent()).end(), t.parent(), t.begin(), t.label());
                if (kind == NONE) ed++; else if (kind == TRACK) ec++;
            }
            for (int f = t.begin(); f < t.end(); f++) {
                int kind = refEdge(levels, refTracks, f, t.label(), f + 1, t.label());
                if (kind == NONE) ed++; else if (kind == PARENT) ec++;
            }
        }
        // reference edges
        int nRefEdges = 0, nRefParents = 0;
        for (CtcTrack t : reference.tracks()) {
            if (t.parent() > 0 && refTracks.containsKey(t.parent())) {
                nRefParents++;
                if (!resEdge(levels, resTracks, refTracks.get(t.parent()).end(), t.parent(), t.begin(), t.label())) ea++;
            }
            for (int f = t.begin(); f < t.end(); f++) {
                nRefEdges++;
                if (!resEdge(levels, resTracks, f, t.label(), f + 1, t.label())) ea++;
            }
        }
        double aogm = CtcScores.W_NS * ns + CtcScores.W_FN * fn + CtcScores.W_FP * fp
                + CtcScores.W_ED * ed + CtcScores.W_EA * ea + CtcScores.W_EC * ec;
        double aogm0 = CtcScores.W_FN * nRefVertices + CtcScores.W_EA * (nRefEdges + nRefParents);
        double aogmD = CtcScores.W_NS * ns + CtcScores.W_FN * fn + CtcScores.W_FP * fp;
        double aogmD0 = CtcScores.W_FN * nRefVertices;
        double tra = aogm0 > 0 ? 1 - Math.min(aogm, aogm0) / aogm0 : Double.NaN;
        double det = aogmD0 > 0 ? 1 - Math.min(aogmD, aogmD0) / aogmD0 : Double.NaN;
        return new CtcScores(ns, fn, fp, ed, ea, ec, aogm, aogm0, aogmD, aogmD0, det, tra, seg(segReference, result.frames()));
    }

    /** Mean Jaccard index of the reference objects (0 for one no result object covers more than half of). */
    public static double seg(SortedMap<Integer, LabelImage> reference, SortedMap<Integer, LabelImage> result) {
        if (reference == null || reference.isEmpty()) return Double.NaN;
        double sum = 0;
        int n = 0;
        for (var e : reference.entrySet()) {
            LabelImage ref = e.getValue(), res = result.get(e.getKey());
            Map<Integer, Integer> refSize = sizes(ref), resSize = res == null ? Map.of() : sizes(res);
            Map<Long, Integer> overlap = res == null ? Map.of() : overlaps(ref, res);
            Map<Integer, Double> best = new HashMap<>();
            for (var o : overlap.entrySet()) {
                int r = (int) (o.getKey() >>> 32), s = (int) (long) o.getKey();
                if (2L * o.getValue() > refSize.get(r)) {
                    best.put(r, o.getValue() / (double) (refSize.get(r) + resSize.get(s) - o.getValue()));
                }
            }
            for (int r : refSize.keySet()) { sum += best.getOrDefault(r, 0.0); n++; }
        }
        return n > 0 ? sum / n : Double.NaN;
    }

    // IGNORED: an end not matched to exactly one reference object; the CTC does not compare such edges
    private static final int NONE = 0, TRACK = 1, PARENT = 2, IGNORED = 3;

    /** The reference edge that the result edge (fromLabel at f1 → toLabel at f2) corresponds to, by kind. */
    private static int refEdge(Map<Integer, Level> levels, Map<Integer, CtcTrack> refTracks, int f1, int resFrom, int f2, int resTo) {
        Level l1 = levels.get(f1), l2 = levels.get(f2);
        if (l1 == null || l2 == null) return IGNORED;
        if (l1.resMatches().getOrDefault(resFrom, 0) != 1 || l2.resMatches().getOrDefault(resTo, 0) != 1) return IGNORED;
        int a = l1.resToRef().get(resFrom), b = l2.resToRef().get(resTo);
        return edgeKind(refTracks, f1, a, f2, b);
    }


    private static boolean resEdge(Map<Integer, Level> levels, Map<Integer, CtcTrack> resTracks, int f1, int refFrom, int f2, int refTo) {
        Level l1 = levels.get(f1), l2 = levels.get(f2);
        if (l1 == null || l2 == null) return false;
        int s = l1.refToRes().getOrDefault(refFrom, 0), t = l2.refToRes().getOrDefault(refTo, 0);
        if (s == 0 || t == 0) return false;
        if (l1.resMatches().get(s) != 1 || l2.resMatches().get(t) != 1) return false;
        return edgeKind(resTracks, f1, s, f2, t) != NONE;
    }

    /** Whether tracks hold an edge (label a at f1 → label b at f2), and of which kind. */
    private static int edgeKind(Map<Integer, CtcTrack> tracks, int f1, int a, int f2, int b) {
        if (a == b) return f2 == f1 + 1 ? TRACK : NONE;
        CtcTrack parent = tracks.get(a), child = tracks.get(b);
        if (parent == null || child == null) return NONE;
        return child.parent() == a && parent.end() == f1 && child.begin() == f2 ? PARENT : NONE;
    }

    private static Level match(LabelImage ref, LabelImage res) {
        Map<Integer, Integer> refSize = sizes(ref);
        Map<Integer, Integer> refToRes = new HashMap<>(), resMatches = new HashMap<>(), resToRef = new HashMap<>();
        for (int r : refSize.keySet()) refToRes.put(r, 0);
        if (res != null) {
            for (int s : sizes(res).keySet()) resMatches.put(s, 0);
            for (var o : overlaps(ref, res).entrySet()) {
                int r = (int) (o.getKey() >>> 32), s = (int) (long) o.getKey();
                if (2L * o.getValue() > refSize.get(r)) {
                    refToRes.put(r, s);
                    resMatches.merge(s, 1, Integer::sum);
                    resToRef.put(s, r);
                }
            }
        }
        return new Level(refToRes, resMatches, resToRef);
    }

    private static Map<Integer, Integer> sizes(LabelImage image) {
        Map<Integer, Integer> out = new HashMap<>();
        for (int l : image.labels()) if (l != 0) out.merge(l, 1, Integer::sum);
        return out;
    }

    private static Set<Integer> labelsOf(LabelImage image) {
        return sizes(image).keySet();
    }

    /** (reference label << 32 | result label) → shared pixels. */
    private static Map<Long, Integer> overlaps(LabelImage ref, LabelImage res) {
        if (ref.width() != res.width() || ref.height() != res.height()) {
            throw new IllegalArgumentException("frame sizes differ: " + ref.width() + "x" + ref.height() + " vs " + res.width() + "x" + res.height());
        }
        Map<Long, Integer> out = new HashMap<>();
        int[] a = ref.labels(), b = res.labels();
        for (int i = 0; i < a.length; i++) {
            if (a[i] != 0 && b[i] != 0) out.merge(((long) a[i] << 32) | (b[i] & 0xFFFFFFFFL), 1, Integer::sum);
        }
        return out;
    }

    private static Map<Integer, CtcTrack> byLabel(CtcSequence s) {
        Map<Integer, CtcTrack> out = new HashMap<>();
        for (CtcTrack t : s.tracks()) out.put(t.label(), t);
        return out;
    }
}
