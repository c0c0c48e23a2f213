package org.nucleispark.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PercentilesTest {
    /** The definition the selection replaces: sort, then numpy's linear interpolation. */
    private static double bySorting(double[] values, double p) {
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = (s.length - 1) * (p / 100.0);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, s.length - 1);
        return Percentiles.numpyLerp(s[i], s[j], pos - i);
    }

    @Test
    void matchesNumpyOnSmallKnownCases() {
        // numpy.percentile([1, 2, 3, 4, 5], [1, 99.8, 0, 100, 50]) = [1.04, 4.992, 1, 5, 3]
        assertArrayEquals(new double[] {1.04, 4.992, 1, 5, 3},
                Percentiles.ofReordered(new double[] {5, 3, 1, 4, 2}, 1, 99.8, 0, 100, 50), 1e-12);
        assertArrayEquals(new double[] {7, 7}, Percentiles.ofReordered(new double[] {7}, 1, 99.8), 0);
    }

    @Test
    void equalsTheSortedDefinitionExactlyOnImageLikeData() {
        Random r = new Random(5);
        for (int n : new int[] {2, 3, 1000, 65536, 262144 + 7}) {
            double[] v = new double[n];
            // 8-bit-like values with many ties, plus a bright tail, as microscopy planes have
            for (int i = 0; i < n; i++) v[i] = r.nextDouble() < 0.01 ? 200 + r.nextInt(56) : r.nextInt(30);
            double[] got = Percentiles.ofReordered(v.clone(), 1.0, 99.8, 50);
            for (int k = 0; k < 3; k++) assertEquals(bySorting(v, new double[] {1.0, 99.8, 50}[k]), got[k], 0.0, "n=" + n);
        }
    }

    @Test
    void refusesNoValues() {
        assertThrows(IllegalArgumentException.class, () -> Percentiles.ofReordered(new double[0], 50));
    }
}
