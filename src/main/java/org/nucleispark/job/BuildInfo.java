package org.nucleispark.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The git commit the job was built from, for the run ledger. Maven writes it at build time
 * (exec-maven-plugin runs {@code git rev-parse HEAD} into {@code nucleispark-git-commit.txt} when the
 * build runs in a git checkout); a jar built elsewhere says "unknown" rather than guess.
 */
final class BuildInfo {
    static final String RESOURCE = "/nucleispark-git-commit.txt";

    private BuildInfo() {}

    static String gitCommit() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return "unknown";
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return text.matches("[0-9a-f]{40}") ? text : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
