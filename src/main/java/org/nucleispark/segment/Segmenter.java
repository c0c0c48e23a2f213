package org.nucleispark.segment;

import org.nucleispark.image.Image;

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

    @Override
    default void close() {}
}
