package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nucleispark.model.ModelMetadata;

/**
 * The shipped U-Net's marker rule comes from its model.json ({@code postprocess.marker_margin}, {@code smooth_sigma}), which can change
 * without the weights' sha256: it must join the version so that incremental runs reprocess, and a model.json
 * without it must keep the thesis' rule and the versions older runs recorded.
 */
class MarkerMarginVersionTest {
    @Test
    void theShippedMarginIsReadAndJoinsTheVersion() throws Exception {
        String json = Files.readString(Path.of("models/unet/model.json"));
        ModelMetadata shipped = ModelMetadata.parse(json, "models/unet/model.json");
        assertEquals(0.5, shipped.markerMargin());
        assertEquals(2.0, shipped.smoothSigma());

        ObjectNode without = (ObjectNode) new ObjectMapper().readTree(json);
        ((ObjectNode) without.get("postprocess")).remove(java.util.List.of("marker_margin", "smooth_sigma"));
        ModelMetadata old = ModelMetadata.parse(without.toString(), "without marker_margin");
        assertTrue(Double.isNaN(old.markerMargin()));
        assertEquals(0, old.smoothSigma());

        UNetOptions options = new UNetOptions(true, Double.NaN, Double.NaN, 4);
        assertTrue(options.describe(shipped).contains(",mm=0.5,ms=2.0"), options.describe(shipped));
        assertFalse(options.describe(old).contains("mm=") || options.describe(old).contains("ms="), options.describe(old));
        assertEquals(options.describe(old), options.describe(shipped).replace(",mm=0.5,ms=2.0", ""));
    }
}
