package org.nucleispark.image;

/**
 * Loads OpenCV's native library once per JVM (driver and every executor).
 *
 * <p>openpnp's {@code loadShared()} patches {@code java.library.path} by reflection, which Java 17
 * forbids; {@code loadLocally()} extracts the bundled .so to a temp dir and {@code System.load}s it.
 */
public final class OpenCv {
    private static volatile boolean loaded;

    private OpenCv() {}

    public static void ensureLoaded() {
        if (loaded) return;
        synchronized (OpenCv.class) {
            if (!loaded) {
                nu.pattern.OpenCV.loadLocally();
                loaded = true;
            }
        }
    }
}
