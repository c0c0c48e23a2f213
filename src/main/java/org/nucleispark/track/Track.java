package org.nucleispark.track;

/**
 * One track: a nucleus from its first to its last frame without branching (a division ends the
 * mother's track and starts one per daughter, as the Cell Tracking Challenge counts them).
 * parentTrackId is 0 for a track with no mother (CTC's P = 0). meanSpeed is path length over
 * frames elapsed (px/frame, 0 for one frame); gapCount is the number of closed gaps (links that
 * skip at least one frame).
 */
public record Track(int trackId, int startFrame, int endFrame, int nFrames, int parentTrackId, int generation,
                    double meanSpeed, double netDisplacement, int gapCount) {}
