package org.nucleispark.track;

import java.util.Arrays;

/**
 * Rectangular, sparse linear assignment with a "no link" alternative per row and per column, as
 * Jaqaman et al. 2008 pose it: the problem is augmented to a square (nRows + nCols) matrix whose
 * upper-right block holds each row's alternative on its diagonal, lower-left each column's, and
 * lower-right the transpose of the link block (cost 0, so the total is links + alternatives), which
 * always has a perfect matching. It is solved by shortest augmenting paths (Dijkstra on reduced
 * costs with row/column potentials, the augmentation phase of Jonker–Volgenant), touching only
 * stored entries: memory and time follow the number of candidate links, never nRows × nCols.
 *
 * <p>Hand-written because no maintained Maven Central library with an Apache-compatible licence
 * solves sparse LAP (the usual choices are dense O(n³) Hungarian ports or GPL'd TrackMate code).
 */
public final class SparseLap {
    private SparseLap() {}

    /**
     * @param rows,cols,costs candidate links (row i → column j at cost); pairs must be unique
     * @return for each row, its column or -1 when the row takes its alternative
     */
    public static int[] solve(int nRows, int nCols, int[] rows, int[] cols, double[] costs,
                              double[] rowAlternative, double[] colAlternative) {
        int n = nRows + nCols;
        // CSR of the augmented matrix: per augmented row, its entries
        int[] count = new int[n + 1];
        for (int r : rows) count[r]++;               // link block
        for (int i = 0; i < nRows; i++) count[i]++;  // row alternatives
        for (int j = 0; j < nCols; j++) count[nRows + j]++; // column alternatives
        for (int c : cols) count[nRows + c]++;       // lower-right transpose
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + count[i];
        int[] fill = Arrays.copyOf(start, n);
        int[] col = new int[start[n]];
        double[] cost = new double[start[n]];
        for (int k = 0; k < rows.length; k++) {
            int p = fill[rows[k]]++; col[p] = cols[k]; cost[p] = costs[k];
            int q = fill[nRows + cols[k]]++; col[q] = nCols + rows[k]; cost[q] = 0;
        }
        for (int i = 0; i < nRows; i++) { int p = fill[i]++; col[p] = nCols + i; cost[p] = rowAlternative[i]; }
        for (int j = 0; j < nCols; j++) { int p = fill[nRows + j]++; col[p] = j; cost[p] = colAlternative[j]; }
        int[] match = augmentAll(n, start, col, cost);
        int[] out = new int[nRows];
        for (int i = 0; i < nRows; i++) out[i] = match[i] < nCols ? match[i] : -1;
        return out;
    }

    /** Square sparse LAP; returns row → column. Throws when no perfect matching exists. */
    static int[] augmentAll(int n, int[] start, int[] col, double[] cost) {
        double[] u = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double m = Double.POSITIVE_INFINITY;
            for (int p = start[i]; p < start[i + 1]; p++) m = Math.min(m, cost[p]);
            if (m == Double.POSITIVE_INFINITY) throw new IllegalArgumentException("row " + i + " has no entries");
            u[i] = m; // reduced costs c - u - v start non-negative
        }
        int[] rowMatch = new int[n];
        int[] colMatch = new int[n];
        Arrays.fill(rowMatch, -1);
        Arrays.fill(colMatch, -1);
        double[] dist = new double[n];
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        int[] pred = new int[n];
        boolean[] done = new boolean[n];
        int[] touched = new int[n];
        // cheap start: take each row's zero-reduced-cost column when it is free
        for (int i = 0; i < n; i++) {
            for (int p = start[i]; p < start[i + 1]; p++) {
                if (cost[p] - u[i] == 0 && colMatch[col[p]] < 0) { rowMatch[i] = col[p]; colMatch[col[p]] = i; break; }
            }
        }
        DoubleHeap heap = new DoubleHeap(n);
        for (int s = 0; s < n; s++) {
            if (rowMatch[s] >= 0) continue;
            int nTouched = 0;
            heap.clear();
            int row = s;
            double rowDist = 0;
            int free = -1;
            double best = 0;
            while (true) {
                for (int p = start[row]; p < start[row + 1]; p++) {
                    int j = col[p];
                    if (done[j]) continue;
                    double d = rowDist + cost[p] - u[row] - v[j];
                    if (d < dist[j]) {
                        if (dist[j] == Double.POSITIVE_INFINITY) touched[nTouched++] = j;
                        dist[j] = d; pred[j] = row; heap.push(j, d);
                    }
                }
                int j = -1;
                while (!heap.isEmpty()) {
                    int c = heap.popIndex();
                    if (!done[c]) { j = c; break; }
                }
                if (j < 0) throw new IllegalArgumentException("no perfect matching (row " + s + ")");
                done[j] = true;
                if (colMatch[j] < 0) { free = j; best = dist[j]; break; }
                row = colMatch[j];
                rowDist = dist[j];
            }
            // potentials: finalised columns move by (best - dist), their rows by the same, the source by best
            u[s] += best;
            for (int k = 0; k < nTouched; k++) {
                int j = touched[k];
                if (done[j] && j != free) {
                    double delta = best - dist[j];
                    v[j] -= delta;
                    u[colMatch[j]] += delta;
                }
                dist[j] = Double.POSITIVE_INFINITY;
                done[j] = false;
            }
            int j = free;
            while (true) {
                int i = pred[j];
                int next = rowMatch[i];
                rowMatch[i] = j; colMatch[j] = i;
                if (i == s) break;
                j = next;
            }
        }
        return rowMatch;
    }

    /** Binary min-heap of (index, key) with duplicates allowed; stale entries are skipped by the caller. */
    private static final class DoubleHeap {
        private int[] idx;
        private double[] key;
        private int size;

        DoubleHeap(int capacity) { idx = new int[Math.max(16, capacity)]; key = new double[idx.length]; }
        void clear() { size = 0; }
        boolean isEmpty() { return size == 0; }

        void push(int i, double k) {
            if (size == idx.length) { idx = Arrays.copyOf(idx, size * 2); key = Arrays.copyOf(key, size * 2); }
            int c = size++;
            while (c > 0) {
                int p = (c - 1) >>> 1;
                if (key[p] <= k) break;
                idx[c] = idx[p]; key[c] = key[p]; c = p;
            }
            idx[c] = i; key[c] = k;
        }

        int popIndex() {
            int top = idx[0];
            int li = idx[--size];
            double lk = key[size];
            int c = 0;
            while (true) {
                int l = 2 * c + 1;
                if (l >= size) break;
                int m = (l + 1 < size && key[l + 1] < key[l]) ? l + 1 : l;
                if (key[m] >= lk) break;
                idx[c] = idx[m]; key[c] = key[m]; c = m;
            }
            idx[c] = li; key[c] = lk;
            return top;
        }
    }
}
