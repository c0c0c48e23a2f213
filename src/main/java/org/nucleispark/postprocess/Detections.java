package org.nucleispark.postprocess;

/**
 * A detector's raw answer for one image, best first: boxes x1, y1, x2, y2 in pixel-edge coordinates
 * (a nucleus on columns a..b has x1 ~ a, x2 ~ b + 1), scores descending, and per detection a square
 * {@code maskSize}² probability map over its box, not yet pasted into the image.
 *
 * @param boxes  4 per detection, flat
 * @param masks  maskSize² per detection, flat, row-major
 */
public record Detections(float[] boxes, float[] scores, float[] masks, int maskSize) {
    public Detections {
        int n = scores.length;
        if (boxes.length != 4 * n || masks.length != n * maskSize * maskSize) {
            throw new IllegalArgumentException(n + " scores but " + boxes.length + " box values and " + masks.length
                    + " mask values (mask size " + maskSize + ")");
        }
    }

    public int count() {
        return scores.length;
    }

    public float x1(int k) { return boxes[4 * k]; }
    public float y1(int k) { return boxes[4 * k + 1]; }
    public float x2(int k) { return boxes[4 * k + 2]; }
    public float y2(int k) { return boxes[4 * k + 3]; }

    /** Detection k's mask (a copy). */
    public float[] mask(int k) {
        int m2 = maskSize * maskSize;
        float[] out = new float[m2];
        System.arraycopy(masks, k * m2, out, 0, m2);
        return out;
    }
}
