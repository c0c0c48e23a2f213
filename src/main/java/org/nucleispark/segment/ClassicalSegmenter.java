package org.nucleispark.segment;

import java.nio.charset.StandardCharsets;
import org.nucleispark.image.GreyConverter;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageStatistics;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.OpenCv;
import org.nucleispark.image.Otsu;
import org.nucleispark.image.PercentileNormaliser;
import org.nucleispark.image.Segmentation;
import org.nucleispark.model.ModelFiles;
import org.nucleispark.postprocess.InstanceCleaner;
import org.nucleispark.postprocess.MarkerWatershed;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The weight-free baseline: grey with automatic polarity, Otsu foreground, distance transform,
 * one marker per distance maximum, watershed on the inverted distance inside the foreground.
 * It needs no model files, so it is the default until a trained model ships.
 */
public final class ClassicalSegmenter implements Segmenter {
    /** Bump when the algorithm changes so that outputs of the old one can be told apart. */
    private static final String ALGORITHM_REVISION = "1";

    private final ClassicalOptions options;
    private final PercentileNormaliser normaliser = new PercentileNormaliser(1.0, 99.8);
    private final InstanceCleaner cleaner;

    public ClassicalSegmenter(ClassicalOptions options) {
        this.options = options;
        this.cleaner = new InstanceCleaner(options.minArea());
        OpenCv.ensureLoaded();
    }

    @Override
    public String name() {
        return "classical";
    }

    @Override
    public String version() {
        return sha256Prefix("classical:" + ALGORITHM_REVISION + ":" + options.describe());
    }

    @Override
    public Segmentation segment(Image image) {
        return run(image, null);
    }

    @Override
    public Segmentation segment(Image block, ImageStatistics wholeImage) {
        return run(block, Objects.requireNonNull(wholeImage, "wholeImage"));
    }

    /**
     * Bounds, polarity and Otsu threshold as {@link #segment(Image)} takes them. On a subsampled
     * sample the blur before Otsu keeps its width in (sample) pixels rather than shrinking with the
     * step: it is there to smooth pixel noise, which is as strong in the sample as at full resolution,
     * and it gives nucleus edges the intermediate values that put Otsu's threshold between the
     * classes. (Shrunk to σ/3 on a sample of every 3rd pixel of synthetic discs, the threshold fell
     * from 0.48 to 0.16, the edge of the background's noise; kept, it is 0.40.) The windows are not used:
     * the classical segmenter has no training size to bring nuclei to.
     */
    @Override
    public ImageStatistics statistics(Image sample, List<Image> windows) {
        PercentileNormaliser.Bounds bounds = normaliser.bounds(sample, 1);
        float[] unit = normaliser.normalise(sample, 1, bounds)[0];
        boolean dark = GreyConverter.darkObjectsOnBright(unit);
        if (dark) invert(unit);
        Mat grey = toMat(unit, sample.width(), sample.height());
        blur(grey, options.blurSigma());
        float threshold = otsuThreshold(fromMat(grey, unit.length));
        grey.release();
        return new ImageStatistics(bounds, dark, threshold, Map.of());
    }

    /** @param given the whole image's statistics when {@code image} is a block of it; null: the image's own */
    private Segmentation run(Image image, ImageStatistics given) {
        int w = image.width();
        int h = image.height();
        float[] unit = given == null ? normaliser.normalise(image, 1)[0] : normaliser.normalise(image, 1, given.bounds())[0];
        if (given == null ? GreyConverter.darkObjectsOnBright(unit) : given.darkObjectsOnBright()) invert(unit);
        Mat grey = toMat(unit, w, h);
        blur(grey, options.blurSigma());
        float threshold = given == null ? otsuThreshold(fromMat(grey, w * h)) : given.foregroundThreshold();

        Mat fg = new Mat(h, w, CvType.CV_8UC1);
        Imgproc.threshold(grey, grey, threshold, 255, Imgproc.THRESH_BINARY);
        grey.convertTo(fg, CvType.CV_8UC1);
        Mat kernel = Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(3, 3));
        Imgproc.morphologyEx(fg, fg, Imgproc.MORPH_OPEN, kernel);

        Mat dist = new Mat();
        Imgproc.distanceTransform(fg, dist, Imgproc.DIST_L2, Imgproc.DIST_MASK_5);
        Imgproc.GaussianBlur(dist, dist, new Size(0, 0), 1.0);
        Mat dilated = new Mat();
        int k = 2 * options.peakRadius() + 1;
        Imgproc.dilate(dist, dilated, Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(k, k)));

        float[] d = fromMat(dist, w * h);
        float[] dmax = fromMat(dilated, w * h);
        byte[] fgBytes = new byte[w * h];
        fg.get(0, 0, fgBytes);
        boolean[] mask = new boolean[w * h];
        Mat peaks = Mat.zeros(h, w, CvType.CV_8UC1);
        byte[] peakBytes = new byte[w * h];
        float[] landscape = new float[w * h];
        for (int i = 0; i < w * h; i++) {
            mask[i] = fgBytes[i] != 0;
            landscape[i] = -d[i];
            if (mask[i] && d[i] >= options.minPeakDistance() && d[i] >= dmax[i] - 1e-4f) peakBytes[i] = 1;
        }
        peaks.put(0, 0, peakBytes);
        Mat markerMat = new Mat();
        Imgproc.connectedComponents(peaks, markerMat, 8, CvType.CV_32S);
        int[] markers = new int[w * h];
        markerMat.get(0, 0, markers);

        int[] labels = MarkerWatershed.flood(landscape, markers, mask, w, h);
        release(grey, fg, kernel, dist, dilated, peaks, markerMat);
        LabelImage cleaned = cleaner.clean(new LabelImage(w, h, labels));
        return Segmentation.withoutScores(cleaned);
    }

    private static void invert(float[] unit) {
        for (int i = 0; i < unit.length; i++) unit[i] = 1f - unit[i];
    }

    private static void blur(Mat grey, double sigma) {
        if (sigma > 0) Imgproc.GaussianBlur(grey, grey, new Size(0, 0), sigma);
    }

    /** Otsu bins are round(v*255); foreground is bins above t, i.e. v > (t + 0.5) / 255. */
    private static float otsuThreshold(float[] blurred) {
        return (Otsu.threshold(Otsu.histogram(blurred, 256)) + 0.5f) / 255f;
    }

    private static Mat toMat(float[] plane, int w, int h) {
        Mat m = new Mat(h, w, CvType.CV_32FC1);
        m.put(0, 0, plane);
        return m;
    }

    private static float[] fromMat(Mat m, int n) {
        float[] out = new float[n];
        m.get(0, 0, out);
        return out;
    }

    private static void release(Mat... mats) {
        // Mats hold native memory the GC does not see; free it now rather than at finalisation.
        for (Mat m : mats) m.release();
    }

    static String sha256Prefix(String text) {
        return ModelFiles.sha256Hex(text.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }
}
