package org.nucleispark.postprocess;

/**
 * Pastes one detection's small square mask into image coordinates, by one of the {@link Method}s
 * (model.json {@code postprocess.paste}), each the twin of a Python reference in
 * {@code nucleispark_train.maskrcnn.PASTES}.
 *
 * <p>{@link #paste} is torchvision's
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

    /** How a mask is put into the image; see each reference's docstring for the geometry. */
    public enum Method {
        /** torchvision's paste_masks_in_image: about a pixel too wide and shifted (the Python {@code paste_mask}). */
        TORCHVISION("torchvision"),
        /** the inverse of the roi_align(aligned=False) sampling that made the training targets ({@code paste_mask_at_pixels}, offset 0). */
        ROI_ALIGN("roi_align"),
        /** detectron2's paste, for models trained with aligned=True ({@code paste_mask_at_pixels}, offset 0.5). */
        PIXEL_CENTRES("pixel_centres");

        private final String key;

        Method(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        /** The method named in model.json; models exported before the choice existed used torchvision's. */
        public static Method of(String key) {
            if (key == null || key.isEmpty()) return TORCHVISION;
            for (Method m : values()) if (m.key.equals(key)) return m;
            throw new IllegalArgumentException("unknown mask paste '" + key + "'; expected torchvision, roi_align or pixel_centres");
        }

        public Pasted paste(float[] mask, int m, float bx1, float by1, float bx2, float by2, int height, int width) {
            return switch (this) {
                case TORCHVISION -> MaskPaster.paste(mask, m, bx1, by1, bx2, by2, height, width);
                case ROI_ALIGN -> pasteAtPixels(mask, m, bx1, by1, bx2, by2, height, width, 0.0);
                case PIXEL_CENTRES -> pasteAtPixels(mask, m, bx1, by1, bx2, by2, height, width, 0.5);
            };
        }
    }

    /**
     * Samples the mask bilinearly (zero beyond its grid) at every pixel near its box: pixel x reads
     * mask column u = (x + offset - x1) * M / (x2 - x1) - 0.5, rows alike. In double, in the
     * reference's order ({@code paste_mask_at_pixels}, numpy float64), then rounded to float.
     */
    static Pasted pasteAtPixels(float[] mask, int m, float bx1, float by1, float bx2, float by2, int height, int width,
                                double offset) {
        double x1 = bx1, y1 = by1, x2 = bx2, y2 = by2;
        double bw = Math.max(x2 - x1, 1e-6), bh = Math.max(y2 - y1, 1e-6);
        int xa = Math.max((int) Math.floor(x1 - bw / m) - 1, 0), xb = Math.min((int) Math.ceil(x2 + bw / m) + 1, width);
        int ya = Math.max((int) Math.floor(y1 - bh / m) - 1, 0), yb = Math.min((int) Math.ceil(y2 + bh / m) + 1, height);
        if (xb <= xa || yb <= ya) return new Pasted(0, 0, 0, 0, new float[0]);
        int p = m + 2;
        double[] padded = new double[p * p];
        for (int y = 0; y < m; y++) for (int x = 0; x < m; x++) padded[(y + 1) * p + x + 1] = mask[y * m + x];
        int w = xb - xa, h = yb - ya;
        int[] iu = new int[w], iv = new int[h];
        double[] fu = new double[w], fv = new double[h];
        for (int x = 0; x < w; x++) cell((xa + x + offset - x1) * m / bw - 0.5 + 1, m, iu, fu, x);
        for (int y = 0; y < h; y++) cell((ya + y + offset - y1) * m / bh - 0.5 + 1, m, iv, fv, y);
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            int a = iv[y] * p, b = (iv[y] + 1) * p;
            for (int x = 0; x < w; x++) {
                double top = padded[a + iu[x]] * (1 - fu[x]) + padded[a + iu[x] + 1] * fu[x];
                double bottom = padded[b + iu[x]] * (1 - fu[x]) + padded[b + iu[x] + 1] * fu[x];
                out[y * w + x] = (float) (top * (1 - fv[y]) + bottom * fv[y]);
            }
        }
        return new Pasted(ya, yb, xa, xb, out);
    }

    /** Padded-grid cell left of coordinate c (clipped to the grid) and the fraction towards the next. */
    private static void cell(double c, int m, int[] index, double[] fraction, int at) {
        double clipped = Math.min(Math.max(c, 0), m + 1);
        int i = Math.min((int) Math.floor(clipped), m);
        index[at] = i;
        fraction[at] = clipped - i;
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
