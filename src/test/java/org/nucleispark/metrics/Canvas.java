package org.nucleispark.metrics;

import org.nucleispark.image.LabelImage;

/** Paints axis-aligned rectangles into a label image, for test shapes whose areas are known by hand. */
final class Canvas {
    private final int width;
    private final int height;
    private final int[] labels;

    Canvas(int width, int height) {
        this.width = width;
        this.height = height;
        this.labels = new int[width * height];
    }

    /** Sets a w x h rectangle with top-left corner (x0, y0) to {@code label}, overwriting. */
    Canvas rect(int x0, int y0, int w, int h, int label) {
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                labels[y * width + x] = label;
            }
        }
        return this;
    }

    LabelImage image() {
        return new LabelImage(width, height, labels.clone());
    }
}
