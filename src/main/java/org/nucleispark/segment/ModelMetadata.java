package org.nucleispark.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;

/**
 * The parts of a model's {@code model.json} (written by the training recipe's export) that serving
 * depends on. Normalisation is checked rather than assumed: a model trained with another recipe
 * would silently see different inputs.
 */
public record ModelMetadata(
        String name,
        String file,
        String sha256,
        int inputChannels,
        int outputChannels,
        int sizeMultiple,
        int tileSize,
        int tileOverlap,
        double normLowPercentile,
        double normHighPercentile,
        double threshold,
        double borderThreshold,
        int minObjectPx) implements Serializable {

    public static ModelMetadata parse(String json, String where) {
        try {
            JsonNode n = new ObjectMapper().readTree(json);
            JsonNode norm = require(n, "normalisation", where);
            String method = require(norm, "method", where).asText();
            if (!method.equals("percentile")) {
                throw new ModelUnavailableException(where + ": normalisation method '" + method + "' is not supported (only 'percentile')");
            }
            JsonNode post = n.path("postprocess");
            return new ModelMetadata(
                    require(n, "name", where).asText(),
                    require(n, "file", where).asText(),
                    require(n, "sha256", where).asText(),
                    require(n, "input_channels", where).asInt(),
                    require(n, "output_channels", where).asInt(),
                    require(n, "size_multiple", where).asInt(),
                    require(n, "tile_size", where).asInt(),
                    n.path("tile_overlap").asInt(32),
                    require(norm, "low", where).asDouble(),
                    require(norm, "high", where).asDouble(),
                    post.path("threshold").asDouble(0.5),
                    post.path("border_threshold").asDouble(0.5),
                    post.path("min_object_px").asInt(10));
        } catch (IOException e) {
            throw new ModelUnavailableException(where + " is not valid JSON: " + e.getMessage());
        }
    }

    private static JsonNode require(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) throw new ModelUnavailableException(where + " lacks '" + key + "'; re-export the model");
        return v;
    }
}
