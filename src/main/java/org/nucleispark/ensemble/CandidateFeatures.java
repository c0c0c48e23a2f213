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

    private CandidateFeatures() {}

    private static final List<String> WITH_INTENSITY =
            Stream.concat(NAMES.stream(), IntensityFeatures.NAMES.stream()).toList();

    /** The feature names with or without the optional {@link IntensityFeatures}. */
    public static List<String> names(boolean intensity) {
        return intensity ? WITH_INTENSITY : NAMES;
    }

    /**
     * {@link #of(List)} followed by the intensity features when {@code plane} (from
     * {@link IntensityFeatures#plane}) is given; null = shape and neighbourhood only.
     */
    public static double[][] of(List<Candidate> candidates, float[] plane, int width, int height) {
        double[][] rows = of(candidates);
        if (plane == null) return rows;
        double[][] intensity = IntensityFeatures.of(candidates, plane, width, height);
        for (int i = 0; i < rows.length; i++) {
            double[] both = Arrays.copyOf(rows[i], rows[i].length + intensity[i].length);
            System.arraycopy(intensity[i], 0, both, rows[i].length, intensity[i].length);
            rows[i] = both;
        }
        return rows;
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
