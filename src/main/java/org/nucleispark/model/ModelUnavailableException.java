package org.nucleispark.model;

/** The requested model cannot be used (unknown name, missing or corrupt files); says how to fix it. */
public final class ModelUnavailableException extends RuntimeException {
    public ModelUnavailableException(String message) {
        super(message);
    }
}
