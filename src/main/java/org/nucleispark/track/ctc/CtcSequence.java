package org.nucleispark.track.ctc;

import java.util.List;
import java.util.SortedMap;
import org.nucleispark.image.LabelImage;

/** A tracked sequence in CTC terms: one label image per frame (label = track) and the track lines. */
public record CtcSequence(SortedMap<Integer, LabelImage> frames, List<CtcTrack> tracks) {}
