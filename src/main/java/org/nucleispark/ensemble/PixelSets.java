package org.nucleispark.ensemble;

/** Set arithmetic on ascending arrays of pixel indices (an instance's mask as the ensemble stores it). */
final class PixelSets {
    private PixelSets() {}

    /** |a ∩ b| by a linear merge; both ascending, without repeats. */
    static int intersection(int[] a, int[] b) {
        int i = 0, j = 0, n = 0;
        while (i < a.length && j < b.length) {
            if (a[i] < b[j]) i++;
            else if (a[i] > b[j]) j++;
            else { n++; i++; j++; }
        }
        return n;
    }
}
