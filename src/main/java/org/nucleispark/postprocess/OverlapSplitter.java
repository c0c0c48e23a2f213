package org.nucleispark.postprocess;

import java.util.Arrays;

/**
 * Pastes detections' masks into one label image where each pixel claimed by several masks goes to
 * the claimant whose centroid is nearest (squared distance; strictly nearer, so on a tie the earlier,
 * higher-scoring detection keeps it). Each centroid is that mask's own pasted foreground, computed
 * before any conflict is resolved. Mask R-CNN predicts every nucleus independently, so touching
 * nuclei overlap; the nearest centroid cuts the overlap roughly along the line between the two.
 */
public final class OverlapSplitter {
    private final float maskThreshold;
    private final MaskPaster.Method paste;

    /** @param maskThreshold a pasted pixel is foreground where its probability is above this */
    public OverlapSplitter(double maskThreshold) {
        this(maskThreshold, MaskPaster.Method.TORCHVISION);
    }

    public OverlapSplitter(double maskThreshold, MaskPaster.Method paste) {
        this.maskThreshold = (float) maskThreshold;
        this.paste = paste;
    }

    /**
     * @param keep indices of the detections to paste, in priority order (best first)
     * @return row-major labels, {@code k + 1} where detection k won the pixel, 0 elsewhere
     */
    public int[] split(Detections d, int[] keep, int width, int height) {
        int[] labels = new int[width * height];
        double[] best = new double[width * height];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        int m = d.maskSize();
        for (int k : keep) {
            MaskPaster.Pasted p = paste.paste(d.mask(k), m, d.x1(k), d.y1(k), d.x2(k), d.y2(k), height, width);
            if (p.isEmpty()) continue;
            int pw = p.width(), ph = p.height();
            long sy = 0, sx = 0, n = 0;
            float[] prob = p.prob();
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    if (prob[y * pw + x] > maskThreshold) {
                        sy += y;
                        sx += x;
                        n++;
                    }
                }
            }
            if (n == 0) continue;
            double cy = (double) sy / n + p.y0();
            double cx = (double) sx / n + p.x0();
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    if (!(prob[y * pw + x] > maskThreshold)) continue;
                    double dy = p.y0() + y - cy, dx = p.x0() + x - cx;
                    double dist = dy * dy + dx * dx;
                    int i = (p.y0() + y) * width + p.x0() + x;
                    if (dist < best[i]) {
                        best[i] = dist;
                        labels[i] = k + 1;
                    }
                }
            }
        }
        return labels;
    }
}
