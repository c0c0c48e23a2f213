package org.nucleispark.runtime;

/** Process exit codes, documented in docs/commands.md; scripts and schedulers depend on them. */
public final class ExitCodes {
    /** At least one image was processed (error rows for the others are normal output). */
    public static final int OK = 0;
    /** Nothing could be processed: every input failed, or there was no input. */
    public static final int NOTHING_PROCESSED = 1;
    /** Wrong setup: bad arguments, unreadable input root, missing or corrupt model files. */
    public static final int SETUP_ERROR = 2;

    private ExitCodes() {}
}
