package org.nucleispark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16: a killed executor left /tmp/nucleispark-unet-*.pt (8-74 MB each) behind. */
class ModelFilesCopyTest {
    @Test
    void copiesOfDeadJvmsAreRemovedOnTheNextStartOthersKept(@TempDir Path dir) throws Exception {
        Process p = new ProcessBuilder("true").start();
        long deadPid = p.pid();
        p.waitFor();
        Path stale = Files.createFile(dir.resolve("nucleispark-unet-" + deadPid + "-123.pt"));
        Path mine = Files.createFile(dir.resolve("nucleispark-unet-" + ProcessHandle.current().pid() + "-456.pt"));
        Path otherModel = Files.createFile(dir.resolve("nucleispark-maskrcnn-" + deadPid + "-789.pt"));
        Path oldName = Files.createFile(dir.resolve("nucleispark-unet-98765432101.pt")); // pre-pid name, fresh
        assertEquals(1, ModelFiles.sweepStaleCopies(dir, "unet"));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(mine));
        assertTrue(Files.exists(otherModel));
        assertTrue(Files.exists(oldName));
    }

    @Test
    void theCopyCarriesThePidAndIsDeletedOnceLoaded() {
        ModelFiles files = ModelFiles.resolve("models", "unet", new Configuration());
        Path copy = files.localWeights();
        assertTrue(copy.getFileName().toString().startsWith("nucleispark-unet-" + ProcessHandle.current().pid() + "-"), copy.toString());
        // outside an executor (no SparkEnv here): java.io.tmpdir
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath(), copy.getParent().toAbsolutePath());
        files.deleteLocalCopy();
        assertFalse(Files.exists(copy));
    }
}
