package org.nucleispark.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackerTest {
    private static final TrackOptions TEN_PX = new TrackOptions(10, 2, true, 0);

    @Test
    void aStraightMoverIsOneTrackWithItsSpeed() {
        List<Spot> spots = new ArrayList<>();
        for (int t = 0; t < 5; t++) spots.add(new Spot(t, 10 + 3 * t, 20, 50));
        Tracking r = new Tracker(TEN_PX).link(spots);
        assertEquals(1, r.tracks().size());
        Track t = r.tracks().get(0);
        assertEquals(new Track(1, 0, 4, 5, 0, 0, 3.0, 12.0, 0), t);
    }

    @Test
    void aOneFrameGapIsClosedOnlyWhenGapsAreAllowed() {
        List<Spot> spots = new ArrayList<>();
        for (int t : new int[] {0, 1, 3, 4}) spots.add(new Spot(t, 3 * t, 0, 50));
        Tracking closed = new Tracker(TEN_PX).link(spots);
        assertEquals(List.of(new Track(1, 0, 4, 4, 0, 0, 3.0, 12.0, 1)), closed.tracks());
        Tracking open = new Tracker(new TrackOptions(10, 0, true, 0)).link(spots);
        assertEquals(2, open.tracks().size());
    }

    @Test
    void aDivisionEndsTheMotherAndStartsTwoDaughters() {
        List<Spot> spots = new ArrayList<>();
        for (int t = 0; t < 3; t++) spots.add(new Spot(t, 50, 50, 100));
        for (int t = 3; t < 6; t++) {
            spots.add(new Spot(t, 50 - 4 - 2 * (t - 3), 50, 50));
            spots.add(new Spot(t, 50 + 4 + 2 * (t - 3), 50, 50));
        }
        Tracking r = new Tracker(TEN_PX).link(spots);
        assertEquals(3, r.tracks().size());
        assertEquals(new Track(1, 0, 2, 3, 0, 0, 0.0, 0.0, 0), r.tracks().get(0));
        for (Track d : r.tracks().subList(1, 3)) {
            assertEquals(3, d.startFrame());
            assertEquals(5, d.endFrame());
            assertEquals(1, d.parentTrackId());
            assertEquals(1, d.generation());
            assertEquals(2.0, d.meanSpeed(), 1e-12);
        }
        // the two daughters in a frame carry different tracks
        assertNotEquals(r.trackOfSpot()[3], r.trackOfSpot()[4]);

        Tracking noDivisions = new Tracker(new TrackOptions(10, 2, false, 0)).link(spots);
        assertEquals(2, noDivisions.tracks().size());
        assertEquals(0, noDivisions.tracks().get(1).parentTrackId());
    }

    @Test
    void twoCrossingNucleiKeepTheirIdentities() {
        // A moves right along y = 20, B down along x = 20 and reaches the crossing two frames later
        List<Spot> spots = new ArrayList<>();
        for (int t = 0; t <= 10; t++) {
            spots.add(new Spot(t, 4 * t, 20, 50));
            spots.add(new Spot(t, 20, 4 * t - 8, 50));
        }
        Tracking r = new Tracker(new TrackOptions(10, 2, false, 0)).link(spots);
        assertEquals(2, r.tracks().size());
        for (int t = 0; t <= 10; t++) {
            assertEquals(r.trackOfSpot()[0], r.trackOfSpot()[2 * t], "A at frame " + t);
            assertEquals(r.trackOfSpot()[1], r.trackOfSpot()[2 * t + 1], "B at frame " + t);
        }
    }

    @Test
    void theDefaultDistanceIsTheMedianDiameter() {
        // areas π·r² with r = 2, 5, 9: diameters 4, 10, 18 → median 10
        List<Spot> spots = List.of(new Spot(0, 0, 0, Math.PI * 4), new Spot(0, 50, 0, Math.PI * 25), new Spot(0, 90, 0, Math.PI * 81));
        assertEquals(10.0, TrackOptions.defaults().linkDistanceFor(spots), 1e-9);
    }

    @Test
    void theTrackVersionFollowsTheParameters() {
        assertEquals(TrackOptions.defaults().trackVersion(), TrackOptions.defaults().trackVersion());
        assertNotEquals(TrackOptions.defaults().trackVersion(), new TrackOptions(0, 1, true, 0).trackVersion());
    }
}
