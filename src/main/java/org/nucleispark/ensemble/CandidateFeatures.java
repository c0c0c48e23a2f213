package org.nucleispark.ensemble;

import java.util.List;
import org.nucleispark.measure.InstanceFeatures;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The feature vector the IoU regressor sees for each candidate: its shape (regionprops names), its
 * model and that model's confidence, and its neighbourhood: how crowded it is among its own
 * model's candidates and how well the other model agrees with it. The thesis (and the DSB 2018
 * winners' second stage) found shape plus agreement features enough; image intensities are left
 * out on purpose, since they vary with the imaging modality more than with segmentation quality.
 */
public final class CandidateFeatures {
    /** Column names, in vector order; model.json records them so a model is never fed the wrong order. */
    public static final List<String> NAMES = List.of(
            "area", "perimeter", "equivalent_diameter", "major_axis_length", "minor_axis_length",
            "eccentricity", "orientation", "convex_area", "solidity", "extent", "bbox_height", "bbox_width",
            "euler_number", "confidence", "is_maskrcnn", "nearest_neighbour_distance",
            "neighbours_within_2_diameters", "other_model_best_iou");

    /**
     * {@link FeatureSet#SCALE_FREE}: the thesis' features without a unit of length, plus sizes and the nearest
     * neighbour's distance over the image's median candidate ({@link #RELATIVE_NAMES}).
     */
    public static final List<String> SCALE_FREE_NAMES = List.of(
            "eccentricity", "orientation", "solidity", "extent", "euler_number", "confidence", "is_maskrcnn",
            "neighbours_within_2_diameters", "other_model_best_iou", "area_to_image_median", "diameter_to_image_median",
            "major_axis_to_image_median_diameter", "minor_axis_to_image_median_diameter", "perimeter_to_circle",
            "nearest_neighbour_to_image_median_diameter");

    /** The features computed beside {@link #NAMES}, each relative to the image's median candidate (both models'). */
    static final List<String> RELATIVE_NAMES = List.of("area_to_image_median", "diameter_to_image_median",
            "major_axis_to_image_median_diameter", "minor_axis_to_image_median_diameter", "perimeter_to_circle",
            "nearest_neighbour_to_image_median_diameter");

    /** Every feature this build computes, in the order of its internal full row. */
    public static final List<String> KNOWN = Stream.of(NAMES, RELATIVE_NAMES, IntensityFeatures.NAMES)
            .flatMap(List::stream).toList();

    private CandidateFeatures() {}

    /** The thesis' feature names with or without the optional {@link IntensityFeatures}. */
    public static List<String> names(boolean intensity) {
        return names(FeatureSet.THESIS, intensity);
    }

    /** A feature set's names, followed by the {@link IntensityFeatures} when asked for. */
    public static List<String> names(FeatureSet set, boolean intensity) {
        return intensity ? Stream.concat(set.names().stream(), IntensityFeatures.NAMES.stream()).toList() : set.names();
    }

    /**
     * One row per candidate holding the named features in that order (model.json's {@code features}), whatever set
     * they come from; {@code plane} ({@link IntensityFeatures#plane}) is needed only when they include intensity.
     */
    public static double[][] of(List<Candidate> candidates, float[] plane, int width, int height, List<String> names) {
        int[] column = new int[names.size()];
        boolean ratios = false, intensity = false;
        for (int k = 0; k < column.length; k++) {
            column[k] = KNOWN.indexOf(names.get(k));
            if (column[k] < 0) throw new IllegalArgumentException("unknown candidate feature '" + names.get(k) + "'; known: " + KNOWN);
            ratios |= column[k] >= NAMES.size() && column[k] < NAMES.size() + RELATIVE_NAMES.size();
            intensity |= column[k] >= NAMES.size() + RELATIVE_NAMES.size();
        }
        if (intensity && plane == null) throw new IllegalArgumentException("intensity features need the image's plane");
        double[][] thesis = of(candidates);
        double[][] relative = ratios ? relative(candidates, thesis) : null;
        double[][] light = intensity ? IntensityFeatures.of(candidates, plane, width, height) : null;
        double[][] rows = new double[candidates.size()][column.length];
        for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < column.length; k++) {
                int c = column[k];
                rows[i][k] = c < NAMES.size() ? thesis[i][c]
                        : c < NAMES.size() + RELATIVE_NAMES.size() ? relative[i][c - NAMES.size()]
                        : light[i][c - NAMES.size() - RELATIVE_NAMES.size()];
            }
        }
        return rows;
    }

    /**
     * {@link #RELATIVE_NAMES} per candidate: area over the image's median candidate area, equivalent diameter and
     * axes over the median equivalent diameter, perimeter over that of the circle of the same area (π × equivalent
     * diameter), nearest same-model neighbour over the median diameter ({@link #LONE_DISTANCE} for a lone one).
     * The medians are over both models' candidates, so one model's fragments or merges move them little.
     */
    private static double[][] relative(List<Candidate> candidates, double[][] thesis) {
        int n = candidates.size();
        double[] areas = new double[n], diameters = new double[n];
        for (int i = 0; i < n; i++) {
            areas[i] = candidates.get(i).shape().area();
            diameters[i] = candidates.get(i).shape().equivalentDiameter();
        }
        double area = positiveMedian(areas), diameter = positiveMedian(diameters);
        int nearest = NAMES.indexOf("nearest_neighbour_distance");
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            InstanceFeatures s = candidates.get(i).shape();
            double d = thesis[i][nearest];
            rows[i] = new double[] {s.area() / area, s.equivalentDiameter() / diameter, s.majorAxisLength() / diameter,
                    s.minorAxisLength() / diameter, s.perimeter() / (Math.PI * Math.max(s.equivalentDiameter(), 1e-9)),
                    d >= LONE_DISTANCE ? LONE_DISTANCE : d / diameter};
        }
        return rows;
    }

    /** The median (mean of the middle two for an even count), or 1 where there is none or it is not positive. */
    private static double positiveMedian(double[] values) {
        if (values.length == 0) return 1;
        double[] v = values.clone();
        Arrays.sort(v);
        int k = v.length;
        double m = k % 2 == 1 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2.0;
        return m > 0 ? m : 1;
    }

    /**
     * {@link #of(List)} followed by the intensity features when {@code plane} (from
     * {@link IntensityFeatures#plane}) is given; null = shape and neighbourhood only.
     */
    public static double[][] of(List<Candidate> candidates, float[] plane, int width, int height) {
        return of(candidates, plane, width, height, names(plane != null));
    }

    /** One row per candidate, in the order given; candidates are all those of one image. */
    public static double[][] of(List<Candidate> candidates) {
        int n = candidates.size();
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            Candidate c = candidates.get(i);
            InstanceFeatures s = c.shape();
            double nearest = Double.POSITIVE_INFINITY;
            int neighbours = 0;
            double otherIou = 0;
            double radius = 2 * s.equivalentDiameter();
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                Candidate o = candidates.get(j);
                if (o.source().equals(c.source())) {
                    double d = Math.hypot(o.shape().centroidX() - s.centroidX(), o.shape().centroidY() - s.centroidY());
                    nearest = Math.min(nearest, d);
                    if (d <= radius) neighbours++;
                } else {
                    otherIou = Math.max(otherIou, c.iou(o));
                }
            }
            // a lone nucleus: no neighbour at any distance; a large finite value keeps trees simple
            if (Double.isInfinite(nearest)) nearest = LONE_DISTANCE;
            rows[i] = new double[] {
                s.area(), s.perimeter(), s.equivalentDiameter(), s.majorAxisLength(), s.minorAxisLength(),
                s.eccentricity(), s.orientation(), s.convexArea(), s.solidity(), s.extent(), s.bboxHeight(),
                s.bboxWidth(), s.eulerNumber(), Double.isNaN(c.confidence()) ? -1 : c.confidence(),
                "maskrcnn".equals(c.source()) ? 1 : 0, nearest, neighbours, otherIou};
        }
        return rows;
    }

    /** Distance reported for a candidate that is its model's only one in the image. */
    static final double LONE_DISTANCE = 1e4;
}
