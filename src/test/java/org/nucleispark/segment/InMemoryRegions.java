package org.nucleispark.segment;

import org.nucleispark.image.Image;
import org.nucleispark.image.ImageRegions;

/** {@link ImageRegions} over an image already in memory: crops and subsamples it as RegionReader reads files. */
final class InMemoryRegions implements ImageRegions {
    private final Image image;

    InMemoryRegions(Image image) {
        this.image = image;
    }

    @Override
    public int width() {
        return image.width();
    }

    @Override
    public int height() {
        return image.height();
    }

    @Override
    public Image read(int x, int y, int w, int h) {
        float[][] planes = new float[image.channels()][w * h];
        for (int c = 0; c < planes.length; c++) {
            for (int r = 0; r < h; r++) System.arraycopy(image.plane(c), (y + r) * image.width() + x, planes[c], r * w, w);
        }
        return new Image(w, h, planes, image.bitDepth());
    }

    @Override
    public Sample sample(long maxPixels) {
        int s = ImageRegions.subsamplingStep(image.width(), image.height(), maxPixels);
        int w = (image.width() + s - 1) / s, h = (image.height() + s - 1) / s;
        float[][] planes = new float[image.channels()][w * h];
        for (int c = 0; c < planes.length; c++) {
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) planes[c][y * w + x] = image.get(c, x * s, y * s);
        }
        return new Sample(new Image(w, h, planes, image.bitDepth()), s);
    }
}
