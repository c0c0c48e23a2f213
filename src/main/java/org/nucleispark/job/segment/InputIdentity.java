package org.nucleispark.job.segment;

import org.nucleispark.runtime.SetupException;
import java.util.Locale;

/**
 * What makes an input "the same file" for {@code --incremental}. {@code STAT} (path, size,
 * modification time) costs one listing; {@code HASH} (path and sha256 of the bytes) reads every file
 * once more, but survives copies and restores that touch modification times without changing content.
 * Both include the path, so an identical copy under a new path still gets its own row.
 */
public enum InputIdentity {
    STAT, HASH;

    public static InputIdentity parse(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "stat":
            case "path":
                return STAT;
            case "hash":
            case "sha256":
                return HASH;
            default:
                throw new SetupException("--identity must be 'stat' (path + size + modification time) or 'hash' (path + sha256 of the bytes), not '" + text + "'");
        }
    }
}
