package org.nucleispark.segment;

import java.util.List;
import java.util.Map;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.Segmentation;
import org.nucleispark.measure.InstanceFeatures;

/**
 * Everything the job keeps of one image or frame: its status and, when it succeeded, its instances
 * with their run-length masks and the label image.
 *
 * @param frame   page index in a multi-page file, or -1 for a single-image file
 * @param error   null when the image was segmented; otherwise a reason a person can act on
 * @param rle     DSB run-length encoding of each instance, keyed by label
 * @param segmentation the label image with each instance's score and, from an ensemble, its source
 *     model and predicted IoU; null when the image failed. Its label image is null when the image was
 *     segmented block by block (too large to hold one)
 */
public record ProcessedImage(
        String imageId,
        String path,
        int frame,
        int width,
        int height,
        int channels,
        int bitDepth,
        String error,
        String model,
        String modelVersion,
        double seconds,
        List<InstanceFeatures> instances,
        Map<Integer, String> rle,
        Segmentation segmentation) {

    /** The label image; null on failure and for an image segmented block by block. */
    public LabelImage labels() {
        return segmentation == null ? null : segmentation.labels();
    }

    public boolean ok() {
        return error == null;
    }

    public static ProcessedImage failed(String imageId, String path, String reason, Segmenter segmenter, double seconds) {
        return new ProcessedImage(imageId, path, -1, -1, -1, -1, -1, reason, segmenter.name(), segmenter.version(),
                seconds, List.of(), Map.of(), null);
    }
}
