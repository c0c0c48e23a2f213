package org.nucleispark.track;

import java.util.Arrays;

/** A growable double array (see IntList). */
final class DoubleList {
    private double[] a = new double[16];
    private int n;

    void add(double v) { if (n == a.length) a = Arrays.copyOf(a, n * 2); a[n++] = v; }
    double get(int i) { return a[i]; }
    int size() { return n; }
    double[] toArray() { return Arrays.copyOf(a, n); }
}
