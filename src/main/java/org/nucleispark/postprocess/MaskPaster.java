package org.nucleispark.postprocess;

/**
 * Pastes one detection's small square mask into image coordinates exactly as torchvision's
 * {@code roi_heads.paste_masks_in_image} with padding 1 (and the Python reference
 * {@code nucleispark_train.maskrcnn.paste_mask}): pad the M×M mask with one zero cell per side,
 * scale the box about its centre by (M + 2) / M, truncate its corners to integers, resize the padded
 * mask bilinearly (align_corners=False) to (y2 - y1 + 1) × (x2 - x1 + 1) pixels and place it with
 * its top-left at (x1, y1), clipped to the image. The padding lets the mask fall to 0 at the box
 * edge instead of being cut off there.
 *
 * <p>All arithmetic is float32 in torch's order, so the probabilities agree with the reference to
 * float rounding and the thresholded masks exactly.
 */
public final class MaskPaster {
    private MaskPaster() {}

    /** A pasted mask: probabilities over the image window rows y0..y1-1, columns x0..x1-1 (empty if off the image). */
    public record Pasted(int y0, int y1, int x0, int x1, float[] prob) {
        public int width() { return x1 - x0; }
        public int height() { return y1 - y0; }
        public boolean isEmpty() { return prob.length == 0; }
    }

    public static Pasted paste(float[] mask, int m, float bx1, float by1, float bx2, float by2, int height, int width) {
        int p = m + 2;
        float[] padded = new float[p * p];
        for (int y = 0; y < m; y++) System.arraycopy(mask, y * m, padded, (y + 1) * p + 1, m);
        // torchvision expand_masks: scale = float(M + 2 * padding) / M, applied to a float32 tensor
        float scale = (float) ((double) p / m);
        float wHalf = (bx2 - bx1) * 0.5f;
        float hHalf = (by2 - by1) * 0.5f;
        float xc = (bx2 + bx1) * 0.5f;
        float yc = (by2 + by1) * 0.5f;
        wHalf *= scale;
        hHalf *= scale;
        // .to(torch.int64) truncates towards zero, as a Java cast does
        int x1 = (int) (xc - wHalf);
        int y1 = (int) (yc - hHalf);
        int x2 = (int) (xc + wHalf);
        int y2 = (int) (yc + hHalf);
        int w = Math.max(x2 - x1 + 1, 1);
        int h = Math.max(y2 - y1 + 1, 1);
        int x0 = Math.max(x1, 0), xEnd = Math.min(x2 + 1, width);
        int y0 = Math.max(y1, 0), yEnd = Math.min(y2 + 1, height);
        if (xEnd <= x0 || yEnd <= y0) return new Pasted(0, 0, 0, 0, new float[0]);
        float[] resized = resizeBilinear(padded, p, p, h, w);
        int ow = xEnd - x0;
        float[] out = new float[(yEnd - y0) * ow];
        for (int y = y0; y < yEnd; y++) System.arraycopy(resized, (y - y1) * w + (x0 - x1), out, (y - y0) * ow, ow);
        return new Pasted(y0, yEnd, x0, xEnd, out);
    }

    /**
     * torch.nn.functional.interpolate(mode="bilinear", align_corners=False) of one plane, following
     * ATen's CPU kernel (UpSampleKernel.cpp, HelperInterpLinear) step for step in float: scale =
     * in / out; source = max(scale * (dst + 0.5) - 0.5, 0); i0 = (int) source, i1 = i0 + 1 unless i0 is
     * the last row; λ1 = source - i0, λ0 = 1 - λ1; rows of columns: (a·λ0 + b·λ1) per row, then the
     * two rows weighted the same way. Written out rather than calling OpenCV: Imgproc.resize with
     * INTER_LINEAR on float planes uses the same coordinate rule but its own weight rounding and
     * differs by up to 1.4e-6 (measured, 30 px to 3..90 px, down- and upscaling), which could flip a
     * pixel lying that close to the 0.5 threshold; this loop is held to the reference by
     * MaskPasterTest, and avoids two Mats per detection for a 30×30 array.
     */
    static float[] resizeBilinear(float[] src, int sh, int sw, int dh, int dw) {
        int[] r0 = new int[dh], r1 = new int[dh];
        float[] rl0 = new float[dh], rl1 = new float[dh];
        int[] c0 = new int[dw], c1 = new int[dw];
        float[] cl0 = new float[dw], cl1 = new float[dw];
        indices(sh, dh, r0, r1, rl0, rl1);
        indices(sw, dw, c0, c1, cl0, cl1);
        float[] out = new float[dh * dw];
        for (int y = 0; y < dh; y++) {
            int a = r0[y] * sw, b = r1[y] * sw;
            for (int x = 0; x < dw; x++) {
                float top = src[a + c0[x]] * cl0[x];
                top += src[a + c1[x]] * cl1[x];
                float bottom = src[b + c0[x]] * cl0[x];
                bottom += src[b + c1[x]] * cl1[x];
                float v = top * rl0[y];
                v += bottom * rl1[y];
                out[y * dw + x] = v;
            }
        }
        return out;
    }

    private static void indices(int in, int out, int[] i0, int[] i1, float[] l0, float[] l1) {
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            if (in == out) {
                i0[d] = d;
                i1[d] = d;
                l0[d] = 1f;
                l1[d] = 0f;
                continue;
            }
            float src = scale * (d + 0.5f) - 0.5f;
            if (src < 0f) src = 0f;
            int i = Math.min((int) src, in - 1);
            i0[d] = i;
            i1[d] = i < in - 1 ? i + 1 : i;
            l1[d] = src - i;
            l0[d] = 1f - l1[d];
        }
    }
}
