package org.nucleispark.track;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Buckets points into square cells of the search radius, so that finding every point within the
 * radius of a query looks at 3×3 cells instead of all points (linking 10,000 nuclei per frame would
 * otherwise need 10⁸ distances per frame pair).
 */
final class SpatialGrid {
    private final double cell;
    private final double minX, minY;
    private final int nx, ny;
    private final int[] cellStart;
    private final int[] order;
    private final List<Spot> spots;

    SpatialGrid(List<Spot> spots, double radius) {
        this.spots = spots;
        this.cell = Math.max(radius, 1e-9);
        double x0 = Double.POSITIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Spot s : spots) { x0 = Math.min(x0, s.x()); y0 = Math.min(y0, s.y()); x1 = Math.max(x1, s.x()); y1 = Math.max(y1, s.y()); }
        if (spots.isEmpty()) { x0 = y0 = 0; x1 = y1 = 0; }
        minX = x0; minY = y0;
        // cap the cell count near the point count: a huge field with few nuclei should not allocate cells
        long wantX = (long) ((x1 - x0) / cell) + 1, wantY = (long) ((y1 - y0) / cell) + 1;
        nx = (int) Math.min(wantX, 1 << 15);
        ny = (int) Math.min(wantY, Math.max(1, (4L * spots.size() + 16) / nx + 1));
        int[] count = new int[nx * ny + 1];
        int[] cellOf = new int[spots.size()];
        for (int i = 0; i < spots.size(); i++) { cellOf[i] = cellIndex(spots.get(i).x(), spots.get(i).y()); count[cellOf[i] + 1]++; }
        for (int c = 0; c < nx * ny; c++) count[c + 1] += count[c];
        cellStart = count;
        order = new int[spots.size()];
        int[] fill = Arrays.copyOf(count, count.length);
        for (int i = 0; i < spots.size(); i++) order[fill[cellOf[i]]++] = i;
    }

    private int cx(double x) { return (int) Math.min(nx - 1, Math.max(0, Math.floor((x - minX) / cell))); }
    private int cy(double y) { return (int) Math.min(ny - 1, Math.max(0, Math.floor((y - minY) / cell))); }
    private int cellIndex(double x, double y) { return cy(y) * nx + cx(x); }

    /** Calls back with the index of every point within radius of (x, y). */
    void within(double x, double y, double radius, IntConsumer found) {
        double r2 = radius * radius;
        int span = (int) Math.ceil(radius / cell);
        int gx = cx(x), gy = cy(y);
        // when ny was capped, a cell is taller than the radius, still covered by one row either side
        for (int yy = Math.max(0, gy - span); yy <= Math.min(ny - 1, gy + span); yy++) {
            for (int xx = Math.max(0, gx - span); xx <= Math.min(nx - 1, gx + span); xx++) {
                int c = yy * nx + xx;
                for (int p = cellStart[c]; p < cellStart[c + 1]; p++) {
                    Spot s = spots.get(order[p]);
                    double dx = s.x() - x, dy = s.y() - y;
                    if (dx * dx + dy * dy <= r2) found.accept(order[p]);
                }
            }
        }
    }
}
