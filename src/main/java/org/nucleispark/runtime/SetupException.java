package org.nucleispark.runtime;

/**
 * A problem with how the job was started (not with one image): reported as one line saying what to
 * do, exit code {@link ExitCodes#SETUP_ERROR}, before any image is processed.
 */
public final class SetupException extends RuntimeException {
    public SetupException(String message) {
        super(message);
    }

    public SetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
