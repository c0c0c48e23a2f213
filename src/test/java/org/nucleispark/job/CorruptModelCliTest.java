package org.nucleispark.job;

import org.nucleispark.runtime.ExitCodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduled run against a damaged model must stop before reading any image, with exit code 2 and
 * a message naming the file (docs/commands.md, "Exit codes"). Uses a corrupted copy of the shipped U-Net; skipped
 * where models/unet is not installed in this checkout.
 */
class CorruptModelCliTest {
    @TempDir
    Path tmp;

    @Test
    void aCorruptedModelFileStopsTheRunWithExitCode2NamingTheFile() throws IOException {
        Path shipped = Paths.get("models/unet");
        assumeTrue(Files.isRegularFile(shipped.resolve("model.pt")) && Files.isRegularFile(shipped.resolve("model.json")),
                "models/unet is not installed in this checkout");
        Path models = tmp.resolve("models");
        Path unet = Files.createDirectories(models.resolve("unet"));
        Files.copy(shipped.resolve("model.json"), unet.resolve("model.json"));
        byte[] weights = Files.readAllBytes(shipped.resolve("model.pt"));
        weights[weights.length / 2] ^= 0x5A; // one flipped byte: what a bad copy or disk does
        Files.write(unet.resolve("model.pt"), weights);
        Path in = Files.createDirectories(tmp.resolve("in"));
        new SmallCorpus(in).add(1);
        Path out = tmp.resolve("out");

        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = Main.run("segment", "--model", "unet", "--models-dir", models.toString(),
                    "--input", in.toString(), "--output", out.toString(), "--incremental", "--master", "local[1]");
        } finally {
            System.setErr(err);
        }
        String message = captured.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.SETUP_ERROR, exit, message);
        assertTrue(message.contains("model.pt"), message);
        assertTrue(message.contains("sha256"), message);
        assertFalse(Files.exists(out.resolve("runs")), "stopped before any image: no run recorded");
    }
}
