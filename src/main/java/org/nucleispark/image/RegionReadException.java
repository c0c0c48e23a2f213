package org.nucleispark.image;

/** A part of a large image could not be read or decoded; the message is a reason a person can act on. */
public final class RegionReadException extends Exception {
    public RegionReadException(String reason) {
        // No stack trace: this describes the input, not the code.
        super(reason, null, false, false);
    }
}
