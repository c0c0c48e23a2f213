package org.nucleispark.report;

import java.util.Arrays;
import java.util.Locale;

/**
 * Three bins of a nucleus property holding about a third of the values each: bin 0 is
 * {@code v <= low}, bin 1 {@code low < v <= high}, bin 2 {@code v > high}. The cut points are
 * nearest-rank quantiles at 1/3 and 2/3, so they are observed values; with many equal values (cluster
 * sizes are mostly 1) two cuts can coincide and the middle bin is then empty rather than split
 * arbitrarily among equal nuclei.
 *
 * <p>Each bin's range (smallest and largest value in it) is kept for axis labels, so a reader sees
 * "23–61 px²" instead of "small".
 */
public final class Tertiles {
    public static final int BINS = 3;

    private final double low;
    private final double high;
    private final double[] min = new double[BINS];
    private final double[] max = new double[BINS];
    private final int[] counts = new int[BINS];

    private Tertiles(double low, double high, double[] values) {
        this.low = low;
        this.high = high;
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (double v : values) {
            int b = bin(v);
            counts[b]++;
            min[b] = Math.min(min[b], v);
            max[b] = Math.max(max[b], v);
        }
    }

    /** @throws IllegalArgumentException when there are no values or one is NaN */
    public static Tertiles of(double[] values) {
        if (values.length == 0) throw new IllegalArgumentException("tertiles of no values");
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (Double.isNaN(sorted[sorted.length - 1])) throw new IllegalArgumentException("tertiles of NaN");
        int n = sorted.length;
        double low = sorted[(int) Math.ceil(n / 3.0) - 1];
        double high = sorted[(int) Math.ceil(2 * n / 3.0) - 1];
        return new Tertiles(low, high, values);
    }

    public double low() { return low; }

    public double high() { return high; }

    public int bin(double v) {
        return v <= low ? 0 : v <= high ? 1 : 2;
    }

    /** How many of the values this was built from fall into bin {@code b}. */
    public int count(int b) { return counts[b]; }

    /**
     * "min–max unit" of the values in bin {@code b} (one number when they are all equal), or null for
     * an empty bin.
     *
     * @param decimals digits after the point (0 for counts and pixel areas)
     */
    public String range(int b, int decimals, String unit) {
        if (counts[b] == 0) return null;
        String fmt = "%." + decimals + "f";
        String a = String.format(Locale.ROOT, fmt, min[b]);
        String z = String.format(Locale.ROOT, fmt, max[b]);
        String r = a.equals(z) ? a : a + "–" + z;
        return unit.isEmpty() ? r : r + " " + unit;
    }
}
