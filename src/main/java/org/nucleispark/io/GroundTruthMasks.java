package org.nucleispark.io;

import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import org.nucleispark.image.DecodeResult;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.image.LabelImage;

/**
 * Builds a label image from DSB-style ground truth: one binary mask file per nucleus
 * ({@code <id>/masks/*.png}), any non-zero pixel inside. Mask i of the list gets label i + 1.
 */
public final class GroundTruthMasks {

    /** One nucleus's mask file; the name is only used in error reasons. */
    public record Mask(String name, byte[] bytes) {
        public Mask {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** Either the label image and its overlap count, or why it could not be built. */
    public static final class Result {
        private final LabelImage labels;
        private final long overlapPixels;
        private final String error;

        private Result(LabelImage labels, long overlapPixels, String error) {
            this.labels = labels;
            this.overlapPixels = overlapPixels;
            this.error = error;
        }

        public boolean isOk() { return error == null; }

        public LabelImage labels() {
            if (error != null) throw new IllegalStateException("no labels: " + error);
            return labels;
        }

        /**
         * Pixels covered by more than one mask, each counted once; they keep the first mask's label.
         * The DSB 2018 fixed training set has none, so a non-zero count flags a bad annotation.
         */
        public long overlapPixels() {
            if (error != null) throw new IllegalStateException("no labels: " + error);
            return overlapPixels;
        }

        public String error() {
            if (error == null) throw new IllegalStateException("ground truth was built without error");
            return error;
        }
    }

    private GroundTruthMasks() {}

    public static Result build(int width, int height, List<Mask> masks) {
        return build(width, height, masks, new ImageDecoder());
    }

    public static Result build(int width, int height, List<Mask> masks, ImageDecoder decoder) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image must be non-empty, got " + width + "x" + height);
        }
        int[] labels = new int[width * height];
        BitSet overlapping = new BitSet(labels.length);
        for (int m = 0; m < masks.size(); m++) {
            Mask mask = masks.get(m);
            DecodeResult decoded = decoder.decode(mask.name(), mask.bytes());
            if (!decoded.isOk()) return error("mask " + mask.name() + ": " + decoded.error());
            if (decoded.frames().size() != 1) {
                return error("mask " + mask.name() + " has " + decoded.frames().size() + " frames; a mask is one image");
            }
            Image image = decoded.frames().get(0).image();
            if (image.width() != width || image.height() != height) {
                return error("mask " + mask.name() + " is " + image.width() + "x" + image.height()
                        + " but the image is " + width + "x" + height);
            }
            int label = m + 1;
            for (int p = 0; p < labels.length; p++) {
                if (!inside(image, p)) continue;
                if (labels[p] == 0) labels[p] = label;
                else overlapping.set(p);
            }
        }
        return new Result(new LabelImage(width, height, labels), overlapping.cardinality(), null);
    }

    /** Any channel non-zero: masks are usually grey, but an RGB-saved mask is just as binary. */
    private static boolean inside(Image image, int p) {
        for (int c = 0; c < image.channels(); c++) {
            if (image.plane(c)[p] != 0f) return true;
        }
        return false;
    }

    private static Result error(String reason) {
        return new Result(null, 0, reason);
    }
}
