package org.nucleispark.ensemble;

import java.util.List;
import org.nucleispark.image.LabelImage;

/** The regressor's training target: each candidate's IoU with the true nucleus it best matches. */
public final class IouTargets {
    private IouTargets() {}

    /** Per candidate, the largest IoU with any true nucleus; 0 when it overlaps none. */
    public static double[] of(List<Candidate> candidates, LabelImage truth) {
        int[] t = truth.labels();
        int[] trueArea = new int[truth.maxLabel() + 1];
        for (int l : t) trueArea[l]++;
        double[] out = new double[candidates.size()];
        int[] inter = new int[trueArea.length];
        for (int i = 0; i < out.length; i++) {
            Candidate c = candidates.get(i);
            for (int p : c.pixels()) inter[t[p]]++;
            double best = 0;
            for (int p : c.pixels()) {
                int l = t[p];
                if (l == 0 || inter[l] == 0) continue;
                best = Math.max(best, (double) inter[l] / (c.area() + trueArea[l] - inter[l]));
                inter[l] = 0; // counted; also resets the scratch array for the next candidate
            }
            inter[0] = 0;
            out[i] = best;
        }
        return out;
    }
}
