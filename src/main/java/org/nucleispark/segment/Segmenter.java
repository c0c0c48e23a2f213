package org.nucleispark.segment;

import java.util.List;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageStatistics;
import org.nucleispark.image.Segmentation;

/**
 * Turns one decoded image into instances. Implementations hold their model (if any) and must be
 * safe to call from the several task threads of one executor JVM.
 */
public interface Segmenter extends AutoCloseable {
    /** Short name written to the {@code model} column: classical, unet, maskrcnn, ensemble. */
    String name();

    /** Identifies the exact model (weights and settings) so reprocessed results can be told apart. */
    String version();

    Segmentation segment(Image image);

    /**
     * What {@link #segment(Image)} would derive from the whole image (normalisation bounds, thresholds, the
     * factor that brings its nuclei to the model's size), for images segmented block by block.
     *
     * @param sample  the whole image, or a subsampled read of it (every n-th pixel in each direction): the
     *                normalisation and thresholds come from it
     * @param windows parts of the image at full resolution (the whole image itself when it is at hand): nucleus
     *                size is measured on them, since subsampling shrinks the nuclei with the image; empty = the
     *                blocks are not resized; the DAB of immunohistochemistry is decided on them too ({@link
     *                org.nucleispark.image.DabGate}). Only read when {@link #readsWindows(Image)}.
     */
    default ImageStatistics statistics(Image sample, List<Image> windows) {
        throw new UnsupportedOperationException("the " + name() + " segmenter cannot segment an image block by block");
    }

    /** The statistics of an image at hand whole: {@code segment(image, statistics(image))} = {@code segment(image)}. */
    default ImageStatistics statistics(Image wholeImage) {
        return statistics(wholeImage, List.of(wholeImage));
    }

    /**
     * Whether {@link #statistics(Image, List)} looks at the windows of the image whose subsampled read is
     * {@code sample}, so that nobody reads them for nothing.
     */
    default boolean readsWindows(Image sample) {
        return false;
    }

    /**
     * Segments one block of a larger image with the whole image's statistics instead of the block's
     * own. {@code segment(image, statistics(image))} gives the same answer as {@code segment(image)}.
     */
    default Segmentation segment(Image block, ImageStatistics wholeImage) {
        throw new UnsupportedOperationException("the " + name() + " segmenter cannot segment an image block by block");
    }

    /** Where the model runs ("cpu", "gpu(0)"), for the load log line; "cpu" for models without weights. */
    default String device() {
        return "cpu";
    }

    @Override
    default void close() {}
}
