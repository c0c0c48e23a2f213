package org.nucleispark.track;

import java.util.Arrays;

/** A growable int array (candidate lists run to hundreds of thousands; boxing them would dominate). */
final class IntList {
    private int[] a = new int[16];
    private int n;

    void add(int v) { if (n == a.length) a = Arrays.copyOf(a, n * 2); a[n++] = v; }
    int get(int i) { return a[i]; }
    int size() { return n; }
    int[] toArray() { return Arrays.copyOf(a, n); }
}
