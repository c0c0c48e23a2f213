package org.nucleispark.image;

/**
 * Why an input could not be decoded, worded for the person who supplied it. Checked, so that every
 * path from bad input ends in a {@link DecodeResult} error rather than escaping as an exception.
 */
final class DecodeFailure extends Exception {
    DecodeFailure(String reason) {
        // No stack trace: this describes the input, not the code, and may be raised per bad file.
        super(reason, null, false, false);
    }

    String reason() { return getMessage(); }
}
