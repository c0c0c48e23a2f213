package org.nucleispark.measure;

import java.io.Serializable;

/**
 * Shape measurements of one instance. Names and definitions follow scikit-image's
 * {@code regionprops} so numbers can be checked against the tool biologists already use.
 * Coordinates: x = column, y = row, pixel centres at integer positions; the bounding box is
 * {@code [x0, x1) × [y0, y1)} (end exclusive, as regionprops' bbox).
 *
 * @param orientation radians, regionprops' convention: angle between the row axis and the major
 *                    axis, in [-pi/2, pi/2]
 * @param eulerNumber objects minus holes (regionprops' euler_number: a filled nucleus is 1)
 * @param score       the model's own confidence, NaN where it has none
 */
public record InstanceFeatures(
        int label,
        int area,
        int x0, int y0, int x1, int y1,
        double centroidX, double centroidY,
        double perimeter,
        double equivalentDiameter,
        double majorAxisLength,
        double minorAxisLength,
        double eccentricity,
        double orientation,
        int convexArea,
        double solidity,
        double extent,
        int eulerNumber,
        double score) implements Serializable {

    public int bboxWidth() { return x1 - x0; }
    public int bboxHeight() { return y1 - y0; }

    /**
     * The same instance measured in a block of a larger image, in that image's coordinates: the
     * block's top-left pixel is ({@code dx}, {@code dy}). Every other feature is translation-invariant.
     */
    public InstanceFeatures inImage(int newLabel, int dx, int dy) {
        return new InstanceFeatures(newLabel, area, x0 + dx, y0 + dy, x1 + dx, y1 + dy, centroidX + dx, centroidY + dy,
                perimeter, equivalentDiameter, majorAxisLength, minorAxisLength, eccentricity, orientation,
                convexArea, solidity, extent, eulerNumber, score);
    }
}
