package org.nucleispark.track.ctc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.nucleispark.track.Spot;
import org.nucleispark.track.Track;
import org.nucleispark.track.Tracking;

/**
 * Turns a linking into CTC labels. A CTC track has no gaps, so a track with closed gaps is written as
 * one label per gap-free piece, each piece after a gap the child of the piece before (the CTC's own
 * convention); the first piece keeps the track id, later pieces take ids above the largest track id.
 */
public final class CtcTracks {
    private CtcTracks() {}

    /** ctcLabelOfSpot: the label each spot is written with; tracks: the L B E P lines. */
    public record Labels(int[] ctcLabelOfSpot, List<CtcTrack> tracks) {}

    public static Labels of(List<Spot> spots, Tracking tracking) {
        int maxId = 0;
        for (Track t : tracking.tracks()) maxId = Math.max(maxId, t.trackId());
        List<List<Integer>> members = new ArrayList<>();
        for (int i = 0; i <= maxId; i++) members.add(new ArrayList<>());
        for (int s = 0; s < spots.size(); s++) members.get(tracking.trackOfSpot()[s]).add(s);
        int[] label = new int[spots.size()];
        int[] lastLabelOfTrack = new int[maxId + 1];
        List<CtcTrack> out = new ArrayList<>();
        int nextId = maxId + 1;
        for (Track t : tracking.tracks()) { // ordered by start frame, so a parent is written before its children
            List<Integer> m = members.get(t.trackId());
            m.sort(Comparator.comparingInt(s -> spots.get(s).frame()));
            int current = t.trackId(), begin = spots.get(m.get(0)).frame(), prevFrame = begin;
            int parent = t.parentTrackId() == 0 ? 0 : lastLabelOfTrack[t.parentTrackId()];
            for (int s : m) {
                int f = spots.get(s).frame();
                if (f > prevFrame + 1) {
                    out.add(new CtcTrack(current, begin, prevFrame, parent));
                    parent = current;
                    current = nextId++;
                    begin = f;
                }
                label[s] = current;
                prevFrame = f;
            }
            out.add(new CtcTrack(current, begin, prevFrame, parent));
            lastLabelOfTrack[t.trackId()] = current;
        }
        out.sort(Comparator.comparingInt(CtcTrack::label));
        return new Labels(label, out);
    }
}
