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

    /**
     * How the other model's candidates lie over this one, beyond the thesis' best IoU with one of them
     * ({@link #agreement}): unitless, so they join the scale-free set as they are.
     */
    static final List<String> AGREEMENT_NAMES = List.of("other_model_inside", "covered_by_other_model",
            "largest_other_model_share");

    /** {@link FeatureSet#SCALE_FREE_AGREEMENT}: {@link #SCALE_FREE_NAMES} and {@link #AGREEMENT_NAMES}. */
    public static final List<String> SCALE_FREE_AGREEMENT_NAMES = Stream.of(SCALE_FREE_NAMES, AGREEMENT_NAMES)
            .flatMap(List::stream).toList();

    /** Every feature this build computes, in the order of its internal full row. */
    public static final List<String> KNOWN = Stream.of(NAMES, RELATIVE_NAMES, AGREEMENT_NAMES, IntensityFeatures.NAMES)
            .flatMap(List::stream).toList();
    private static final int RELATIVE_AT = NAMES.size();
    private static final int AGREEMENT_AT = RELATIVE_AT + RELATIVE_NAMES.size();
    private static final int INTENSITY_AT = AGREEMENT_AT + AGREEMENT_NAMES.size();

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
        boolean ratios = false, agreement = false, intensity = false;
        for (int k = 0; k < column.length; k++) {
            column[k] = KNOWN.indexOf(names.get(k));
            if (column[k] < 0) throw new IllegalArgumentException("unknown candidate feature '" + names.get(k) + "'; known: " + KNOWN);
            ratios |= column[k] >= RELATIVE_AT && column[k] < AGREEMENT_AT;
            agreement |= column[k] >= AGREEMENT_AT && column[k] < INTENSITY_AT;
            intensity |= column[k] >= INTENSITY_AT;
        }
        if (intensity && plane == null) throw new IllegalArgumentException("intensity features need the image's plane");
        double[][] thesis = of(candidates);
        double[][] relative = ratios ? relative(candidates, thesis) : null;
        double[][] others = agreement ? agreement(candidates) : null;
        double[][] light = intensity ? IntensityFeatures.of(candidates, plane, width, height) : null;
        double[][] rows = new double[candidates.size()][column.length];
        for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < column.length; k++) {
                int c = column[k];
                rows[i][k] = c < RELATIVE_AT ? thesis[i][c]
                        : c < AGREEMENT_AT ? relative[i][c - RELATIVE_AT]
                        : c < INTENSITY_AT ? others[i][c - AGREEMENT_AT]
                        : light[i][c - INTENSITY_AT];
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

    /**
     * {@link #AGREEMENT_NAMES} per candidate, against the other model's candidates (which do not overlap each other):
     * how many of them lie more than half inside it (a merge of two nuclei the other model split holds two), the share
     * of its pixels they cover together, and the largest share one of them covers (a fragment of a nucleus the other
     * model found whole: near 1, with a low best IoU). The best IoU alone cannot tell a merge of two from a nucleus
     * the other model half-missed: both give about 0.5.
     */
    private static double[][] agreement(List<Candidate> candidates) {
        int n = candidates.size();
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            Candidate c = candidates.get(i);
            int inside = 0;
            long covered = 0;
            int largest = 0;
            for (int j = 0; j < n; j++) {
                Candidate o = candidates.get(j);
                if (j == i || o.source().equals(c.source()) || !c.boxesOverlap(o)) continue;
                int inter = PixelSets.intersection(c.pixels(), o.pixels());
                if (2L * inter > o.area()) inside++;
                covered += inter;
                largest = Math.max(largest, inter);
            }
            double area = Math.max(c.area(), 1);
            rows[i] = new double[] {inside, Math.min(covered / area, 1.0), largest / area};
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
