package org.nucleispark.job.segment;

import org.nucleispark.job.Main;
import org.nucleispark.runtime.ExitCodes;
import org.nucleispark.runtime.SetupException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** Issue 16: a driver-local --models-dir is made absolute for local runs and refused on clusters. */
class ModelsLocationTest {
    @Test
    void relativeDirBecomesAbsoluteFileUriLocally() {
        String uri = ModelsLocation.forExecutors("models", "local[2]", "unet");
        assertEquals(Paths.get("models").toAbsolutePath().normalize().toUri().toString().replaceAll("/$", ""), uri);
        assertTrue(uri.startsWith("file:/"), uri);
    }

    @Test
    void uriWithSchemeIsKeptOnAnyMaster() {
        assertEquals("s3a://bucket/models", ModelsLocation.forExecutors("s3a://bucket/models", "spark://h:7077", "unet"));
        // explicit file: URI = "mounted on every node"
        assertEquals("file:///shared/models", ModelsLocation.forExecutors("file:///shared/models", "yarn", "ensemble"));
    }

    @Test
    void driverPathIsRefusedOnAClusterBeforeAnythingRuns() {
        SetupException e = assertThrows(SetupException.class,
                () -> ModelsLocation.forExecutors("./models", "spark://127.0.0.1:7077", "unet"));
        assertTrue(e.getMessage().contains("s3a://bucket/models"), e.getMessage());
        assertTrue(e.getMessage().contains("spark://127.0.0.1:7077"), e.getMessage());
        assertThrows(SetupException.class, () -> ModelsLocation.forExecutors("/abs/models", "k8s://https://k:6443", "ensemble"));
    }

    @Test
    void classicalNeedsNoModelFilesAnywhere() {
        assertTrue(ModelsLocation.forExecutors("models", "spark://h:7077", "classical").startsWith("file:/"));
    }

    @Test
    void cliRefusesWithSetupErrorWithoutStartingSpark() {
        assertEquals(ExitCodes.SETUP_ERROR, Main.run("segment", "--model", "unet", "--master", "spark://127.0.0.1:1",
                "--input", "sample-data", "--output", "target/never-written"));
    }
}
