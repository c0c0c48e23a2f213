package org.nucleispark.io;

import java.io.Serializable;

/**
 * Where a file sits in a time-lapse corpus, from a manifest or a filename pattern; every part may be
 * null (unknown). The sequence is (experiment, well, field, channel); frame orders it in time.
 */
public record SequenceFields(String experiment, String well, String field, String channel, Integer frame)
        implements Serializable {
    public static final SequenceFields NONE = new SequenceFields(null, null, null, null, null);

    /** True when the file belongs to a named sequence, so its frames must be kept together. */
    public boolean hasSequenceKey() {
        return experiment != null || well != null || field != null || channel != null;
    }

    /** The sequence key as one string, for grouping; null parts are kept apart from the text "null". */
    public String sequenceKey() {
        return part(experiment) + "\u0000" + part(well) + "\u0000" + part(field) + "\u0000" + part(channel);
    }

    private static String part(String s) {
        return s == null ? "\u0001" : s;
    }
}
