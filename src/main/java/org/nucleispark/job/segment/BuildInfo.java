package org.nucleispark.job.segment;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The git commit of the job, for the run ledger. In order:
 * <ol>
 *   <li>a {@code nucleispark-git-commit.txt} resource, for a packaging step that writes one (a build
 *       plugin could not be used: neither exec-maven-plugin nor maven-antrun-plugin resolve from the
 *       offline Maven cache this project builds with);</li>
 *   <li>{@code git rev-parse HEAD} in the checkout {@code bin/nucleispark} runs from
 *       ({@code -Dnucleispark.home}), which is what that script builds the job from; a checkout with
 *       uncommitted changes gets a {@code -dirty} suffix so the ledger does not overclaim;</li>
 *   <li>otherwise "unknown" (a cluster jar without the resource), rather than a guess.</li>
 * </ol>
 */
final class BuildInfo {
    static final String RESOURCE = "/nucleispark-git-commit.txt";
    private static volatile String cached;

    private BuildInfo() {}

    static String gitCommit() {
        if (cached == null) cached = find();
        return cached;
    }

    private static String find() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                if (text.matches("[0-9a-f]{40}")) return text;
            }
        } catch (IOException e) {
            // fall through to the checkout
        }
        String home = System.getProperty("nucleispark.home", System.getProperty("user.dir"));
        String head = git(home, "rev-parse", "HEAD");
        if (head == null || !head.matches("[0-9a-f]{40}")) return "unknown";
        String status = git(home, "status", "--porcelain", "--untracked-files=no");
        return status == null || status.isEmpty() ? head : head + "-dirty";
    }

    /** The command's trimmed output, or null when git is missing, slow or fails. */
    private static String git(String dir, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = dir;
        System.arraycopy(args, 0, cmd, 3, args.length);
        try {
            Process p = new ProcessBuilder(cmd).directory(new File(dir)).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
