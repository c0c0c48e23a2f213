package org.nucleispark.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.nucleispark.image.CanonicalInput;
import org.nucleispark.image.Modality;

/**
 * The parts of a model's {@code model.json} (written by the training recipe's export) that serving
 * depends on. Normalisation is checked rather than assumed: a model trained with another recipe
 * would silently see different inputs.
 *
 * <p>One parser for every model: fields a model does not have take neutral values ({@code
 * outputChannels} 0 for a detector, which has a tuple of outputs; {@code scoreThreshold},
 * {@code maskThreshold} NaN and {@code maskSize} 0 for a dense model), and each segmenter checks
 * that the fields it needs are present.
 *
 * @param scoreThreshold detector: keep detections scoring at least this ({@code thresholds.score_threshold})
 * @param maskThreshold  detector: a pasted mask pixel is foreground above this ({@code thresholds.mask_threshold})
 * @param maskSize       detector: side of the unpasted square mask per detection ({@code mask_size})
 * @param boxNmsIou      detector: the IoU above which its NMS suppresses a box ({@code thresholds.box_nms_iou})
 * @param maskPaste      detector: how masks are pasted ({@code postprocess.paste}; "" when absent = torchvision's)
 * @param canonical      the canonical-input contract ({@code normalisation.method} "canonical"); null for the
 *                       RGB percentile rule ("percentile")
 * @param nucleusDiameter the median segment.NucleusDiameter estimate over the model's training images
 *                       ({@code nucleus_diameter.median_estimate}); NaN when the model does not record one
 * @param canonicalFor   the modalities served the canonical input: all for {@code normalisation.method}
 *                       "canonical"; for a model trained on the percentile RGB, those its {@code
 *                       serving.canonical_for} lists (its {@code serving.canonical} then gives {@code canonical});
 *                       empty otherwise
 * @param shrinkAbove    rescale only when the image's nuclei are more than this many times {@code nucleusDiameter}
 *                       ({@code serving.shrink_above}); NaN = the serving default
 * @param enlarge        whether images with much smaller nuclei are enlarged ({@code serving.enlarge}, default true)
 * @param histologyNucleusDiameter the median segment.NucleusDiameter weighted estimate over the model's training
 *                       images detected as histology ({@code nucleus_diameter.histology.median_estimate}): images
 *                       detected as histology are measured that way and brought to it; NaN when the model does
 *                       not record one (then histology is measured like every other image)
 * @param shrinkAboveHistology the trigger for those images ({@code serving.shrink_above_histology}); NaN = {@code shrinkAbove}
 * @param enlargeHistologyBelow those images are enlarged when their nuclei are less than 1 / this of
 *                       {@code histologyNucleusDiameter} ({@code serving.enlarge_histology_below}); NaN = as every image
 * @param markerMargin   U-Net: a marker pixel's nucleus probability exceeds its border probability by more than this,
 *                       and the watershed floods −(nucleus − border) ({@code postprocess.marker_margin}); NaN when
 *                       absent: the thesis' markers (border below borderThreshold) on −nucleus
 * @param smoothSigma    U-Net, with markerMargin: the Gaussian sigma, in the network's input pixels, blurring
 *                       nucleus − border first ({@code postprocess.smooth_sigma}); 0 when absent
 * @param onnxFile       an ONNX copy of the weights for CPU executors ({@code onnx.file}); null when there is none
 * @param onnxSha256     its sha256 ({@code onnx.sha256}); null when there is none
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
        int minObjectPx,
        double markerMargin,
        double smoothSigma,
        double scoreThreshold,
        double maskThreshold,
        int maskSize,
        double boxNmsIou,
        String maskPaste,
        CanonicalInput canonical,
        double nucleusDiameter,
        Set<Modality> canonicalFor,
        double shrinkAbove,
        boolean enlarge,
        double histologyNucleusDiameter,
        double shrinkAboveHistology,
        double enlargeHistologyBelow,
        String onnxFile,
        String onnxSha256) implements Serializable {

    public static ModelMetadata parse(String json, String where) {
        try {
            JsonNode n = new ObjectMapper().readTree(json);
            JsonNode norm = require(n, "normalisation", where);
            String method = require(norm, "method", where).asText();
            if (!method.equals("percentile") && !method.equals("canonical")) {
                throw new ModelUnavailableException(where + ": normalisation method '" + method
                        + "' is not supported (only 'percentile' and 'canonical')");
            }
            JsonNode serving = n.path("serving");
            CanonicalInput canonical = method.equals("canonical") ? canonical(norm, where)
                    : serving.has("canonical_for") ? canonical(require(serving, "canonical", where), where) : null;
            Set<Modality> canonicalFor = method.equals("canonical") ? EnumSet.allOf(Modality.class)
                    : canonicalFor(serving.path("canonical_for"), where);
            JsonNode post = n.path("postprocess");
            JsonNode thresholds = n.path("thresholds");
            // the detector's model.json has no output_channels (its outputs are a tuple) and keeps
            // size_multiple in its input contract
            JsonNode multiple = n.has("size_multiple") ? n.get("size_multiple") : n.path("input").get("size_multiple");
            if (multiple == null) throw new ModelUnavailableException(where + " lacks 'size_multiple'; re-export the model");
            return new ModelMetadata(
                    require(n, "name", where).asText(),
                    require(n, "file", where).asText(),
                    require(n, "sha256", where).asText(),
                    require(n, "input_channels", where).asInt(),
                    n.has("outputs") && !n.has("output_channels") ? 0 : require(n, "output_channels", where).asInt(),
                    multiple.asInt(),
                    require(n, "tile_size", where).asInt(),
                    n.path("tile_overlap").asInt(32),
                    require(norm, "low", where).asDouble(),
                    require(norm, "high", where).asDouble(),
                    post.path("threshold").asDouble(0.5),
                    post.path("border_threshold").asDouble(0.5),
                    post.path("min_object_px").asInt(10),
                    post.path("marker_margin").asDouble(Double.NaN),
                    post.path("smooth_sigma").asDouble(0),
                    thresholds.path("score_threshold").asDouble(Double.NaN),
                    thresholds.path("mask_threshold").asDouble(Double.NaN),
                    n.path("mask_size").asInt(0),
                    thresholds.path("box_nms_iou").asDouble(Double.NaN),
                    post.path("paste").asText(""),
                    canonical,
                    n.path("nucleus_diameter").path("median_estimate").asDouble(Double.NaN),
                    Collections.unmodifiableSet(canonicalFor),
                    serving.path("shrink_above").asDouble(Double.NaN),
                    serving.path("enlarge").asBoolean(true),
                    n.path("nucleus_diameter").path("histology").path("median_estimate").asDouble(Double.NaN),
                    serving.path("shrink_above_histology").asDouble(Double.NaN),
                    serving.path("enlarge_histology_below").asDouble(Double.NaN),
                    n.has("onnx") ? require(n.get("onnx"), "file", where).asText() : null,
                    n.has("onnx") ? require(n.get("onnx"), "sha256", where).asText() : null);
        } catch (IOException e) {
            throw new ModelUnavailableException(where + " is not valid JSON: " + e.getMessage());
        }
    }

    private static CanonicalInput canonical(JsonNode norm, String where) {
        double[] hed = doubles(require(norm, "hed_from_rgb_column0", where));
        // dab_above: absent or null in model.json files written before it (haematoxylin alone)
        JsonNode dabAbove = norm.path("dab_above");
        boolean dab = dabAbove.isNumber();
        double[] dabColumn = dab ? doubles(require(norm, "hed_from_rgb_column2", where)) : null;
        return new CanonicalInput(require(norm, "chroma_threshold", where).asDouble(), require(norm, "bright_threshold", where).asDouble(),
                require(norm, "low", where).asDouble(), require(norm, "high", where).asDouble(), hed,
                dabColumn, dab ? dabAbove.asDouble() : Double.NaN, dab ? require(norm, "dab_gain", where).asDouble() : Double.NaN,
                dab ? require(norm, "dab_solid", where).asDouble() : Double.NaN,
                dab ? require(norm, "dab_solid_share", where).asDouble() : Double.NaN,
                greyHistology(norm, where), grey(norm) && dab ? doubles(require(norm, "rgb_from_hed_row2", where)) : null,
                norm.path("membranous_share").isNumber() ? norm.get("membranous_share").asDouble() : Double.NaN);
    }

    /** normalisation.histology_input: "grey", or "haematoxylin" (also when absent: models exported before it). */
    private static boolean greyHistology(JsonNode norm, String where) {
        String value = norm.path("histology_input").asText("haematoxylin");
        if (value.equals("grey")) return true;
        if (value.equals("haematoxylin") || value.isEmpty() || value.equals("null")) return false;
        throw new ModelUnavailableException(where + ": unknown normalisation.histology_input '" + value
                + "' (expected grey or haematoxylin)");
    }

    private static boolean grey(JsonNode norm) {
        return "grey".equals(norm.path("histology_input").asText());
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asDouble();
        return out;
    }

    private static Set<Modality> canonicalFor(JsonNode list, String where) {
        Set<Modality> out = EnumSet.noneOf(Modality.class);
        for (JsonNode m : list) {
            Modality parsed = Modality.ofKey(m.asText());
            if (parsed == null) throw new ModelUnavailableException(where + ": serving.canonical_for names an unknown modality '" + m.asText() + "'");
            out.add(parsed);
        }
        return out;
    }

    private static JsonNode require(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) throw new ModelUnavailableException(where + " lacks '" + key + "'; re-export the model");
        return v;
    }
}
