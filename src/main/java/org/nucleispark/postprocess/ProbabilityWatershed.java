package org.nucleispark.postprocess;

import org.nucleispark.image.LabelImage;
import org.nucleispark.image.OpenCv;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Instances from a U-Net's two probability maps (the 2019 thesis' scheme): foreground = nucleus
 * probability above a threshold; markers = foreground minus the touching-border channel, split into
 * 4-connected components; a marker-controlled watershed on the inverted nucleus probability, confined
 * to the foreground, grows each marker back over the border pixels it lost. Foreground blobs that
 * kept no marker (small nuclei swallowed by a thick border prediction) become instances of their own
 * rather than vanishing.
 *
 * <p>With a marker margin (model.json {@code postprocess.marker_margin}), a foreground pixel seeds only where its
 * nucleus probability exceeds its border probability by more than the margin, and the flood runs on the inverted
 * difference nucleus − border, so that the lines between touching nuclei follow the predicted border ridge instead
 * of the dip in the nucleus probability alone. With a smoothing sigma ({@code postprocess.smooth_sigma}) the
 * difference is first blurred by a Gaussian of that many pixels (OpenCV, reflected edges as scipy's
 * {@code gaussian_filter} reflects them), so that one nucleus' pixel-level ripples in it seed no extra markers; the
 * foreground stays the unblurred nucleus probability above the threshold. The sigma is in the network's pixels:
 * an image resized by f for the network (the nucleus rescale) is blurred by sigma / f of its own. Measured on the
 * generalisation benchmark's held-out images (docs/generalisation.md, "Markers from the difference"): fewer merged
 * neighbours and higher scores on every image type.
 */
public final class ProbabilityWatershed {
    private final float threshold;
    private final float borderThreshold;
    private final float markerMargin;
    private final double smoothSigma;
    private final InstanceCleaner cleaner;

    /**
     * @param threshold       nucleus probability above which a pixel is foreground
     * @param borderThreshold border probability at or above which a foreground pixel is not a marker
     * @param minArea         smaller objects are dropped
     */
    public ProbabilityWatershed(double threshold, double borderThreshold, int minArea) {
        this(threshold, borderThreshold, Double.NaN, 0, minArea);
    }

    /**
     * @param markerMargin a marker pixel's nucleus probability must exceed its border probability by more than this,
     *                     and the flood runs on −(nucleus − border); NaN = the thesis' rule (border below
     *                     borderThreshold, flood on −nucleus)
     * @param smoothSigma  with a margin: the Gaussian sigma in the network's pixels that blurs nucleus − border
     *                     before markers and flood are taken from it; 0 = none
     */
    public ProbabilityWatershed(double threshold, double borderThreshold, double markerMargin, double smoothSigma, int minArea) {
        if (!(smoothSigma >= 0)) throw new IllegalArgumentException("smooth sigma must be at least 0, not " + smoothSigma);
        this.threshold = (float) threshold;
        this.borderThreshold = (float) borderThreshold;
        this.markerMargin = (float) markerMargin;
        this.smoothSigma = smoothSigma;
        this.cleaner = new InstanceCleaner(minArea);
    }

    /** Label image plus each instance's mean nucleus probability ({@code scores[label]}). */
    public record Result(LabelImage labels, double[] scores) {}

    public Result separate(float[] nucleus, float[] border, int w, int h) {
        return separate(nucleus, border, w, h, 1.0);
    }

    /**
     * @param factor the factor the image was resized by for the network (its probabilities were resized back by
     *               1 / factor): the smoothing sigma becomes smoothSigma / factor of these pixels
     */
    public Result separate(float[] nucleus, float[] border, int w, int h, double factor) {
        if (!(factor > 0)) throw new IllegalArgumentException("factor must be above 0, not " + factor);
        int n = w * h;
        boolean[] fg = new boolean[n];
        boolean[] seed = new boolean[n];
        float[] landscape = new float[n];
        boolean margin = !Float.isNaN(markerMargin);
        float[] difference = margin ? difference(nucleus, border, w, h, smoothSigma / factor) : null;
        for (int i = 0; i < n; i++) {
            fg[i] = nucleus[i] > threshold;
            seed[i] = fg[i] && border[i] < borderThreshold && (!margin || difference[i] > markerMargin);
            landscape[i] = margin ? -difference[i] : -nucleus[i];
        }
        int[] markers = ConnectedComponents.label4(seed, w, h);
        int next = 0;
        for (int m : markers) next = Math.max(next, m);
        int[] blobs = ConnectedComponents.label4(fg, w, h);
        int blobCount = 0;
        for (int b : blobs) blobCount = Math.max(blobCount, b);
        boolean[] hasMarker = new boolean[blobCount + 1];
        for (int i = 0; i < n; i++) if (markers[i] > 0) hasMarker[blobs[i]] = true;
        int[] blobMarker = new int[blobCount + 1];
        for (int i = 0; i < n; i++) {
            int b = blobs[i];
            if (b > 0 && !hasMarker[b]) {
                if (blobMarker[b] == 0) blobMarker[b] = ++next;
                markers[i] = blobMarker[b];
            }
        }
        int[] flooded = MarkerWatershed.flood(landscape, markers, fg, w, h);
        LabelImage labels = cleaner.clean(new LabelImage(w, h, flooded));
        return new Result(labels, meanPerLabel(labels, nucleus));
    }

    /** nucleus − border, blurred by a Gaussian of sigma pixels when it is above 0. */
    private static float[] difference(float[] nucleus, float[] border, int w, int h, double sigma) {
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) d[i] = nucleus[i] - border[i];
        if (sigma == 0) return d;
        OpenCv.ensureLoaded();
        Mat m = new Mat(h, w, CvType.CV_32FC1);
        m.put(0, 0, d);
        // kernel radius round(4 sigma), as scipy.ndimage.gaussian_filter's truncate=4 gives
        int ksize = 2 * (int) Math.round(4 * sigma) + 1;
        Imgproc.GaussianBlur(m, m, new Size(ksize, ksize), sigma, sigma, Core.BORDER_REFLECT);
        m.get(0, 0, d);
        m.release();
        return d;
    }

    private static double[] meanPerLabel(LabelImage labels, float[] values) {
        int max = labels.maxLabel();
        double[] sum = new double[max + 1];
        int[] count = new int[max + 1];
        int[] l = labels.labels();
        for (int i = 0; i < l.length; i++) {
            sum[l[i]] += values[i];
            count[l[i]]++;
        }
        double[] mean = new double[max + 1];
        mean[0] = Double.NaN;
        for (int k = 1; k <= max; k++) mean[k] = count[k] == 0 ? Double.NaN : sum[k] / count[k];
        return mean;
    }
}
