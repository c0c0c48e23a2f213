package org.nucleispark.ensemble;

import java.io.Serializable;
import org.nucleispark.measure.InstanceFeatures;

/**
 * One instance proposed by one model, before the ensemble decides whether to keep it. Candidates of
 * one model never overlap (each model's own post-processing resolved that); candidates of different
 * models do, and the ensemble's job is to choose among them.
 *
 * @param source      the model that proposed it: "unet" or "maskrcnn"
 * @param pixels      row-major linear indices {@code y * width + x} of its pixels, ascending
 * @param shape       its regionprops-style measurements (label = its label in the source's image)
 * @param confidence  the source model's own confidence (U-Net: mean nucleus probability over the
 *                    instance; Mask R-CNN: detection score); NaN when the model gave none
 */
public record Candidate(String source, int[] pixels, InstanceFeatures shape, double confidence)
        implements Serializable {

    public int area() { return pixels.length; }

    /** Intersection over union with another candidate of the same image. */
    public double iou(Candidate other) {
        if (!boxesOverlap(other)) return 0;
        int inter = PixelSets.intersection(pixels, other.pixels);
        return inter == 0 ? 0 : (double) inter / (area() + other.area() - inter);
    }

    boolean boxesOverlap(Candidate o) {
        InstanceFeatures a = shape, b = o.shape;
        return a.x0() < b.x1() && b.x0() < a.x1() && a.y0() < b.y1() && b.y0() < a.y1();
    }
}
