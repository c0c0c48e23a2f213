package org.nucleispark.track;

import java.util.List;

/** A linking's result: the track of each input spot (same order as the input) and the tracks. */
public record Tracking(int[] trackOfSpot, List<Track> tracks, double linkDistance) {}
