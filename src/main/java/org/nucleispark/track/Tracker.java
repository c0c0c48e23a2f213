package org.nucleispark.track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Links one sequence's nuclei into tracks in the two steps of Jaqaman et al. 2008 / TrackMate:
 * frame-to-frame LAP into segments, then one segment LAP whose rows are segment ends (gap closing to
 * a segment starting 2..maxGap+1 frames later) and spots as division sources (a segment starting in
 * the next frame near a spot becomes its daughter), with "no link" alternatives of 1.05 × the 90th
 * percentile of candidate costs (TrackMate's cutoff). A spot left with two successors is a division:
 * the mother's track ends there and each daughter starts a track whose parent it is.
 */
public final class Tracker {
    static final double SEGMENT_CUTOFF_PERCENTILE = 0.9;

    private final TrackOptions options;

    public Tracker(TrackOptions options) {
        this.options = options;
    }

    public Tracking link(List<Spot> spots) {
        int n = spots.size();
        double maxDist = options.linkDistanceFor(spots);
        TreeMap<Integer, IntList> byFrame = new TreeMap<>();
        for (int i = 0; i < n; i++) byFrame.computeIfAbsent(spots.get(i).frame(), f -> new IntList()).add(i);
        int[] next = new int[n], prev = new int[n];
        Arrays.fill(next, -1);
        Arrays.fill(prev, -1);
        Integer frame = byFrame.isEmpty() ? null : byFrame.firstKey();
        while (frame != null) {
            IntList here = byFrame.get(frame), there = byFrame.get(frame + 1);
            if (there != null) {
                int[] links = FrameLinker.link(select(spots, here), select(spots, there), maxDist, options.areaPenalty());
                for (int k = 0; k < links.length; k++) {
                    if (links[k] >= 0) { int a = here.get(k), b = there.get(links[k]); next[a] = b; prev[b] = a; }
                }
            }
            frame = byFrame.higherKey(frame);
        }
        // segments: chains of next/prev
        List<int[]> segments = new ArrayList<>();
        int[] segmentOf = new int[n];
        for (int i = 0; i < n; i++) {
            if (prev[i] >= 0) continue;
            IntList chain = new IntList();
            for (int s = i; s >= 0; s = next[s]) { chain.add(s); segmentOf[s] = segments.size(); }
            segments.add(chain.toArray());
        }
        // successors after segment linking (a spot has at most two: its own next and one daughter/gap link)
        int[] extra = new int[n];
        Arrays.fill(extra, -1);
        linkSegments(spots, segments, segmentOf, byFrame, maxDist, next, extra);
        return build(spots, next, extra, maxDist);
    }

    private void linkSegments(List<Spot> spots, List<int[]> segments, int[] segmentOf, TreeMap<Integer, IntList> byFrame,
                              double maxDist, int[] next, int[] extra) {
        if (options.maxGap() == 0 && !options.divisions()) return;
        int nSeg = segments.size();
        // columns: segment starts; index them by frame for the searches
        TreeMap<Integer, List<Integer>> startsByFrame = new TreeMap<>();
        for (int s = 0; s < nSeg; s++) startsByFrame.computeIfAbsent(spots.get(segments.get(s)[0]).frame(), f -> new ArrayList<>()).add(s);
        TreeMap<Integer, SpatialGrid> grids = new TreeMap<>();
        TreeMap<Integer, List<Spot>> startSpots = new TreeMap<>();
        for (var e : startsByFrame.entrySet()) {
            List<Spot> ss = new ArrayList<>();
            for (int s : e.getValue()) ss.add(spots.get(segments.get(s)[0]));
            startSpots.put(e.getKey(), ss);
            grids.put(e.getKey(), new SpatialGrid(ss, maxDist));
        }
        IntList rows = new IntList(), cols = new IntList();
        DoubleList costs = new DoubleList();
        IntList rowSource = new IntList(); // the spot each row starts from
        // gap-closing rows: one per segment end
        if (options.maxGap() > 0) {
            for (int s = 0; s < nSeg; s++) {
                int[] seg = segments.get(s);
                int end = seg[seg.length - 1];
                Spot a = spots.get(end);
                int row = rowSource.size();
                boolean any = false;
                for (int f = a.frame() + 2; f <= a.frame() + options.maxGap() + 1; f++) {
                    SpatialGrid g = grids.get(f);
                    if (g == null) continue;
                    List<Integer> starts = startsByFrame.get(f);
                    List<Spot> ss = startSpots.get(f);
                    int[] hit = {0};
                    g.within(a.x(), a.y(), maxDist, k -> {
                        rows.add(row); cols.add(starts.get(k)); costs.add(a.distanceSquared(ss.get(k))); hit[0]++;
                    });
                    any |= hit[0] > 0;
                }
                if (any) rowSource.add(end);
            }
        }
        // division rows: any spot with a segment starting one frame later within reach
        if (options.divisions()) {
            for (var e : byFrame.entrySet()) {
                SpatialGrid g = grids.get(e.getKey() + 1);
                if (g == null) continue;
                List<Integer> starts = startsByFrame.get(e.getKey() + 1);
                List<Spot> ss = startSpots.get(e.getKey() + 1);
                IntList here = e.getValue();
                for (int k = 0; k < here.size(); k++) {
                    int m = here.get(k);
                    Spot a = spots.get(m);
                    int row = rowSource.size();
                    int[] hit = {0};
                    g.within(a.x(), a.y(), maxDist, q -> {
                        rows.add(row); cols.add(starts.get(q)); costs.add(a.distanceSquared(ss.get(q))); hit[0]++;
                    });
                    if (hit[0] > 0) rowSource.add(m);
                }
            }
        }
        if (rows.size() == 0) return;
        double[] c = costs.toArray();
        double[] sorted = c.clone();
        Arrays.sort(sorted);
        double cutoff = sorted[(int) Math.min(sorted.length - 1, Math.floor(SEGMENT_CUTOFF_PERCENTILE * (sorted.length - 1)))];
        double alt = FrameLinker.ALTERNATIVE_FACTOR * Math.max(cutoff, 1e-9);
        double[] rowAlt = new double[rowSource.size()];
        double[] colAlt = new double[nSeg];
        Arrays.fill(rowAlt, alt);
        Arrays.fill(colAlt, alt);
        int[] assigned = SparseLap.solve(rowSource.size(), nSeg, rows.toArray(), cols.toArray(), c, rowAlt, colAlt);
        for (int r = 0; r < assigned.length; r++) {
            if (assigned[r] < 0) continue;
            int from = rowSource.get(r), to = segments.get(assigned[r])[0];
            // a gap row and a division row of the same end spot can both be taken: one continues in next[], the other in extra[]
            if (next[from] < 0) next[from] = to; else extra[from] = to;
        }
    }

    private Tracking build(List<Spot> spots, int[] next, int[] extra, double maxDist) {
        int n = spots.size();
        int[] indegree = new int[n];
        for (int i = 0; i < n; i++) { if (next[i] >= 0) indegree[next[i]]++; if (extra[i] >= 0) indegree[extra[i]]++; }
        // a spot with two successors divides: each successor starts a track
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < n; i++) if (indegree[i] == 0) starts.add(i);
        int[] parentSpot = new int[n];
        Arrays.fill(parentSpot, -1);
        for (int i = 0; i < n; i++) {
            if (next[i] >= 0 && extra[i] >= 0) {
                starts.add(next[i]); starts.add(extra[i]);
                parentSpot[next[i]] = i; parentSpot[extra[i]] = i;
            }
        }
        Comparator<Integer> byTimeThenPlace = Comparator.<Integer>comparingInt(i -> spots.get(i).frame())
                .thenComparingDouble(i -> spots.get(i).y()).thenComparingDouble(i -> spots.get(i).x());
        starts.sort(byTimeThenPlace);
        int[] trackOf = new int[n];
        List<Track> tracks = new ArrayList<>();
        int[] generation = new int[starts.size() + 1];
        for (int t = 0; t < starts.size(); t++) {
            int id = t + 1;
            int s = starts.get(t);
            int parent = parentSpot[s] >= 0 ? trackOf[parentSpot[s]] : 0; // parent starts earlier, so has its id
            generation[id] = parent == 0 ? 0 : generation[parent] + 1;
            int count = 0, gaps = 0;
            double path = 0;
            int last = s;
            for (int c = s; ; ) {
                trackOf[c] = id;
                count++;
                last = c;
                int succ = next[c] >= 0 && extra[c] >= 0 ? -1 : (next[c] >= 0 ? next[c] : extra[c]);
                if (succ < 0) break;
                path += Math.sqrt(spots.get(c).distanceSquared(spots.get(succ)));
                if (spots.get(succ).frame() - spots.get(c).frame() > 1) gaps++;
                c = succ;
            }
            Spot first = spots.get(s), end = spots.get(last);
            int elapsed = end.frame() - first.frame();
            tracks.add(new Track(id, first.frame(), end.frame(), count, parent, generation[id],
                    elapsed > 0 ? path / elapsed : 0, Math.sqrt(first.distanceSquared(end)), gaps));
        }
        return new Tracking(trackOf, tracks, maxDist);
    }

    private static List<Spot> select(List<Spot> spots, IntList indices) {
        List<Spot> out = new ArrayList<>(indices.size());
        for (int k = 0; k < indices.size(); k++) out.add(spots.get(indices.get(k)));
        return out;
    }
}
