package org.nucleispark.track.ctc;

/**
 * The Cell Tracking Challenge's scores of one result against one reference, with the operation
 * counts behind them (AOGM, Matula et al. 2015): NS splits, FN missed reference objects, FP spurious
 * result objects, ED edges to delete, EA edges to add, EC edges whose semantics (same track vs
 * parent link) must change. SEG is NaN when the reference has no segmentation frames.
 */
public record CtcScores(int splits, int falseNegatives, int falsePositives, int edgesToDelete, int edgesToAdd,
                        int edgesToChange, double aogm, double aogm0, double aogmD, double aogmD0,
                        double det, double tra, double seg) {
    public static final double W_NS = 5, W_FN = 10, W_FP = 1, W_ED = 1, W_EA = 1.5, W_EC = 1;

    public String summary() {
        return String.format("DET %.4f  TRA %.4f  SEG %.4f  (NS %d FN %d FP %d ED %d EA %d EC %d; AOGM %.1f of %.1f)",
                det, tra, seg, splits, falseNegatives, falsePositives, edgesToDelete, edgesToAdd, edgesToChange, aogm, aogm0);
    }
}
