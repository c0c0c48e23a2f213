package org.nucleispark.image;

import java.io.Serializable;

/**
 * An instance label image: 0 is background, 1..n are instances (the docs/architecture.md convention, which is
 * also what napari and Fiji expect of a label layer). Row-major.
 */
public final class LabelImage implements Serializable {
    private final int width;
    private final int height;
    private final int[] labels;

    public LabelImage(int width, int height, int[] labels) {
        if (labels.length != width * height) {
            throw new IllegalArgumentException("labels size " + labels.length + " != " + width + "*" + height);
        }
        this.width = width;
        this.height = height;
        this.labels = labels;
    }

    public static LabelImage empty(int width, int height) {
        return new LabelImage(width, height, new int[width * height]);
    }

    public int width() { return width; }
    public int height() { return height; }
    public int get(int x, int y) { return labels[y * width + x]; }
    /** The backing array (row-major); callers that modify it own the consequences. */
    public int[] labels() { return labels; }

    /** Largest label present (labels need not be contiguous). */
    public int maxLabel() {
        int m = 0;
        for (int l : labels) m = Math.max(m, l);
        return m;
    }
}
