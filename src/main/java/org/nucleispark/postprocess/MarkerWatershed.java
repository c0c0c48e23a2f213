package org.nucleispark.postprocess;

import java.util.Arrays;

/**
 * Marker-controlled watershed by priority flooding (Meyer's algorithm, as in scikit-image's
 * {@code watershed(image, markers, mask=...)} with 4-connectivity).
 *
 * <p>Written by hand because OpenCV's {@code Imgproc.watershed} cannot do what the method needs: it
 * floods on colour differences of an 8-bit 3-channel image rather than on a float landscape (a
 * probability map or a distance transform), takes no mask, and leaves -1 ridge pixels between
 * basins that would have to be reassigned afterwards.
 */
public final class MarkerWatershed {
    private MarkerWatershed() {}

    /**
     * Floods {@code landscape} (low values first) from {@code markers} (&gt;0 = seed label), only into
     * pixels where {@code mask} is true (null = everywhere). Returns a new label array; pixels that no
     * marker reaches stay 0.
     */
    public static int[] flood(float[] landscape, int[] markers, boolean[] mask, int width, int height) {
        int n = width * height;
        if (landscape.length != n || markers.length != n || (mask != null && mask.length != n)) {
            throw new IllegalArgumentException("landscape, markers and mask must all be " + width + "x" + height);
        }
        int[] labels = new int[n];
        FloatHeap heap = new FloatHeap(Math.max(16, n / 4));
        long seq = 0;
        for (int i = 0; i < n; i++) {
            if (markers[i] > 0 && (mask == null || mask[i])) {
                labels[i] = markers[i];
                heap.push(landscape[i], seq++, i);
            }
        }
        while (!heap.isEmpty()) {
            int p = heap.popIndex();
            int label = labels[p];
            int x = p % width;
            int y = p / width;
            // 4-neighbourhood, same as scikit-image's default connectivity=1
            if (x > 0) seq = visit(p - 1, label, labels, landscape, mask, heap, seq);
            if (x < width - 1) seq = visit(p + 1, label, labels, landscape, mask, heap, seq);
            if (y > 0) seq = visit(p - width, label, labels, landscape, mask, heap, seq);
            if (y < height - 1) seq = visit(p + width, label, labels, landscape, mask, heap, seq);
        }
        return labels;
    }

    private static long visit(int q, int label, int[] labels, float[] landscape, boolean[] mask, FloatHeap heap, long seq) {
        if (labels[q] != 0 || (mask != null && !mask[q])) return seq;
        labels[q] = label;
        heap.push(landscape[q], seq, q);
        return seq + 1;
    }

    /** Min-heap on (value, insertion order) holding pixel indices, without boxing. */
    static final class FloatHeap {
        private float[] keys;
        private long[] order;
        private int[] idx;
        private int size;

        FloatHeap(int capacity) {
            keys = new float[capacity];
            order = new long[capacity];
            idx = new int[capacity];
        }

        boolean isEmpty() { return size == 0; }

        void push(float key, long seq, int index) {
            if (size == keys.length) grow();
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!less(key, seq, keys[parent], order[parent])) break;
                keys[i] = keys[parent];
                order[i] = order[parent];
                idx[i] = idx[parent];
                i = parent;
            }
            keys[i] = key;
            order[i] = seq;
            idx[i] = index;
        }

        int popIndex() {
            int top = idx[0];
            size--;
            if (size > 0) {
                float k = keys[size];
                long o = order[size];
                int v = idx[size];
                int i = 0;
                while (true) {
                    int l = 2 * i + 1;
                    if (l >= size) break;
                    int r = l + 1;
                    int c = (r < size && less(keys[r], order[r], keys[l], order[l])) ? r : l;
                    if (!less(keys[c], order[c], k, o)) break;
                    keys[i] = keys[c];
                    order[i] = order[c];
                    idx[i] = idx[c];
                    i = c;
                }
                keys[i] = k;
                order[i] = o;
                idx[i] = v;
            }
            return top;
        }

        private static boolean less(float k1, long o1, float k2, long o2) {
            return k1 < k2 || (k1 == k2 && o1 < o2);
        }

        private void grow() {
            int cap = keys.length * 2;
            keys = Arrays.copyOf(keys, cap);
            order = Arrays.copyOf(order, cap);
            idx = Arrays.copyOf(idx, cap);
        }
    }
}
