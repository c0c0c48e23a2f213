package org.nucleispark.track;

import java.util.List;
import java.util.Arrays;

/**
 * Frame-to-frame linking (the first LAP of Jaqaman et al. 2008): candidates within the link distance
 * found with a spatial grid, cost = squared distance × (1 + w·|Δarea|/(a+b))², and a "no link"
 * alternative of 1.05 × the largest candidate cost (TrackMate's choice), so that any candidate beats
 * leaving both ends unlinked but the assignment is still global (two crossing nuclei keep their
 * identities when that is cheaper in sum).
 */
final class FrameLinker {
    static final double ALTERNATIVE_FACTOR = 1.05;

    private FrameLinker() {}

    static double cost(Spot a, Spot b, double areaPenalty) {
        double d2 = a.distanceSquared(b);
        if (areaPenalty == 0) return d2;
        double sum = a.area() + b.area();
        double rel = sum > 0 ? Math.abs(a.area() - b.area()) / sum : 0;
        double f = 1 + areaPenalty * rel;
        return d2 * f * f;
    }

    /** For each spot of {@code from}, the index in {@code to} it links to, or -1. */
    static int[] link(List<Spot> from, List<Spot> to, double maxDistance, double areaPenalty) {
        SpatialGrid grid = new SpatialGrid(to, maxDistance);
        IntList rows = new IntList(), cols = new IntList();
        DoubleList costList = new DoubleList();
        double[] maxCost = {0};
        for (int i = 0; i < from.size(); i++) {
            Spot a = from.get(i);
            int row = i;
            grid.within(a.x(), a.y(), maxDistance, j -> {
                double c = cost(a, to.get(j), areaPenalty);
                rows.add(row); cols.add(j); costList.add(c);
                maxCost[0] = Math.max(maxCost[0], c);
            });
        }
        int[] out = new int[from.size()];
        Arrays.fill(out, -1);
        if (rows.size() == 0) return out;
        double[] costs = costList.toArray();
        double alt = ALTERNATIVE_FACTOR * Math.max(maxCost[0], 1e-9);
        double[] rowAlt = new double[from.size()];
        double[] colAlt = new double[to.size()];
        Arrays.fill(rowAlt, alt);
        Arrays.fill(colAlt, alt);
        return SparseLap.solve(from.size(), to.size(), rows.toArray(), cols.toArray(), costs, rowAlt, colAlt);
    }
}
