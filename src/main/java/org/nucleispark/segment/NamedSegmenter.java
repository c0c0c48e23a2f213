package org.nucleispark.segment;

import java.util.List;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageStatistics;
import org.nucleispark.image.Segmentation;

/**
 * A segmenter served under another model name: a factory registering a second U-Net (your own
 * TorchScript export, same inputs and outputs as the shipped one) writes its key, not "unet", to the
 * {@code model} column. Everything else, the version included, is the wrapped segmenter's.
 */
public final class NamedSegmenter implements Segmenter {
    private final String name;
    private final Segmenter inner;

    public NamedSegmenter(String name, Segmenter inner) {
        this.name = name;
        this.inner = inner;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String version() {
        return inner.version();
    }

    @Override
    public Segmentation segment(Image image) {
        return inner.segment(image);
    }

    @Override
    public ImageStatistics statistics(Image sample, List<Image> windows) {
        return inner.statistics(sample, windows);
    }

    @Override
    public boolean readsWindows(Image sample) {
        return inner.readsWindows(sample);
    }

    @Override
    public Segmentation segment(Image block, ImageStatistics wholeImage) {
        return inner.segment(block, wholeImage);
    }

    @Override
    public String device() {
        return inner.device();
    }

    @Override
    public void close() {
        inner.close();
    }
}
