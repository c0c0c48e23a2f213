package org.nucleispark.track;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SparseLapTest {
    @Test
    void takesTheCheaperOfTwoCrossedPairs() {
        // rows 0,1 and columns 0,1: 0→0 costs 1, 0→1 costs 2, 1→0 costs 2, 1→1 costs 5.
        // 0→0 + 1→1 = 6 > 0→1 + 1→0 = 4; alternatives 10 each make unlinking dearer than either
        int[] out = SparseLap.solve(2, 2, new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}, new double[] {1, 2, 2, 5},
                new double[] {10, 10}, new double[] {10, 10});
        assertArrayEquals(new int[] {1, 0}, out);
    }

    @Test
    void leavesALinkDearerThanBothAlternativesUnlinked() {
        // linking costs 5, leaving row and column alone costs 2 + 2 = 4
        int[] out = SparseLap.solve(1, 1, new int[] {0}, new int[] {0}, new double[] {5}, new double[] {2}, new double[] {2});
        assertArrayEquals(new int[] {-1}, out);
    }

    @Test
    void matchesBruteForceOnRandomSparseRectangularProblems() {
        Random random = new Random(42);
        for (int trial = 0; trial < 400; trial++) {
            int nr = 1 + random.nextInt(5), nc = 1 + random.nextInt(5);
            List<int[]> pairs = new ArrayList<>();
            List<Double> cost = new ArrayList<>();
            double[][] dense = new double[nr][nc];
            for (double[] row : dense) Arrays.fill(row, Double.NaN);
            for (int i = 0; i < nr; i++) for (int j = 0; j < nc; j++) {
                if (random.nextDouble() < 0.6) {
                    double c = random.nextInt(20);
                    pairs.add(new int[] {i, j}); cost.add(c); dense[i][j] = c;
                }
            }
            double[] ra = random.doubles(nr, 0, 15).toArray(), ca = random.doubles(nc, 0, 15).toArray();
            int[] out = SparseLap.solve(nr, nc, pairs.stream().mapToInt(p -> p[0]).toArray(),
                    pairs.stream().mapToInt(p -> p[1]).toArray(), cost.stream().mapToDouble(d -> d).toArray(), ra, ca);
            assertEquals(brute(dense, ra, ca, 0, new boolean[nc]), total(out, dense, ra, ca), 1e-9, "trial " + trial);
        }
    }

    private static double total(int[] out, double[][] dense, double[] ra, double[] ca) {
        double t = 0;
        boolean[] used = new boolean[ca.length];
        for (int i = 0; i < out.length; i++) {
            if (out[i] < 0) t += ra[i];
            else { t += dense[i][out[i]]; used[out[i]] = true; }
        }
        for (int j = 0; j < ca.length; j++) if (!used[j]) t += ca[j];
        return t;
    }

    private static double brute(double[][] dense, double[] ra, double[] ca, int row, boolean[] used) {
        if (row == dense.length) {
            double t = 0;
            for (int j = 0; j < ca.length; j++) if (!used[j]) t += ca[j];
            return t;
        }
        double best = ra[row] + brute(dense, ra, ca, row + 1, used);
        for (int j = 0; j < ca.length; j++) {
            if (used[j] || Double.isNaN(dense[row][j])) continue;
            used[j] = true;
            best = Math.min(best, dense[row][j] + brute(dense, ra, ca, row + 1, used));
            used[j] = false;
        }
        return best;
    }
}
