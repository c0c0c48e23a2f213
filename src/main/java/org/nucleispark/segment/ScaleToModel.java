package org.nucleispark.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.nucleispark.image.Image;
import org.nucleispark.image.Modality;
import org.nucleispark.image.OpenCv;
import org.nucleispark.model.ModelMetadata;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Brings an image's nuclei to the size the model was trained on, and its outputs back. The triggers are the
 * model's ({@code model.json} {@code serving}: the shipped U-Net shrinks beyond 1.5× and never enlarges — colour
 * histology has its own estimate, median and triggers, see {@link #factor(double, float[], org.nucleispark.image.Modality,
 * ModelMetadata, int, int)} — the
 * Mask R-CNN shrinks beyond 3×); the constants below are the rule of models exported without that block. The factor is
 * the model's training diameter over the image's (estimated by {@link NucleusDiameter} or given by the
 * user), applied only when the image's nuclei are more than {@link #MIN_FACTOR_TO_SHRINK} times the
 * model's or less than 1 / {@link #MIN_FACTOR_TO_ENLARGE} of it (the training's scale augmentation covers
 * 0.5–2×, so small mismatches cost nothing; enlarging within that range bought no accuracy on
 * the generalisation benchmark for up to 4× the pixels, see docs/generalisation.md) and clamped to
 * [{@link #MIN_FACTOR}, {@link #MAX_FACTOR}] so that a wrong estimate cannot blow an image up. Cellpose
 * does the same with a size model; the probabilities are resized back (bilinear) so that instances are
 * separated at the image's own pixels.
 */
final class ScaleToModel {
    static final double MIN_FACTOR_TO_SHRINK = 1.5;
    static final double MIN_FACTOR_TO_ENLARGE = 2.0;
    static final double MIN_FACTOR = 0.1;
    static final double MAX_FACTOR = 2.0;
    /** Never shrink an image below this side: the network needs some context around a nucleus. */
    static final int MIN_SIDE = 64;

    private ScaleToModel() {}

    /**
     * @param imageDiameter  the image's nucleus diameter (NaN: unknown → 1)
     * @param modelDiameter  the model's training diameter (NaN: the model records none → 1)
     * @return the factor to resize the image by (1 = leave it)
     */
    static double factor(double imageDiameter, double modelDiameter, int width, int height) {
        return factor(imageDiameter, modelDiameter, width, height, MIN_FACTOR_TO_SHRINK, MIN_FACTOR_TO_ENLARGE);
    }

    /**
     * The same with the model's own triggers (model.json {@code serving}: the Mask R-CNN shrinks only beyond
     * 3× and never enlarges, docs/generalisation.md).
     *
     * @param shrinkAbove  shrink only when the image's nuclei are more than this many times the model's
     * @param enlargeBelow enlarge only when they are less than 1 / this of the model's; infinite = never
     */
    static double factor(double imageDiameter, double modelDiameter, int width, int height, double shrinkAbove, double enlargeBelow) {
        if (!(imageDiameter > 0) || !(modelDiameter > 0)) return 1.0;
        double f = modelDiameter / imageDiameter;
        if (f < enlargeBelow && f > 1.0 / shrinkAbove) return 1.0;
        f = Math.max(MIN_FACTOR, Math.min(MAX_FACTOR, f));
        double floor = (double) MIN_SIDE / Math.min(width, height);
        return Math.max(f, Math.min(1.0, floor));
    }

    /** Resizes each w×h plane to tw×th (area averaging when shrinking, bilinear when growing). */
    static float[][] resize(float[][] planes, int w, int h, int tw, int th) {
        OpenCv.ensureLoaded();
        int interpolation = (long) tw * th < (long) w * h ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR;
        float[][] out = new float[planes.length][];
        for (int c = 0; c < planes.length; c++) {
            if (c > 0 && planes[c] == planes[c - 1]) {
                out[c] = out[c - 1];
                continue;
            }
            Mat src = new Mat(h, w, CvType.CV_32FC1);
            src.put(0, 0, planes[c]);
            Mat dst = new Mat();
            Imgproc.resize(src, dst, new Size(tw, th), 0, 0, interpolation);
            out[c] = new float[tw * th];
            dst.get(0, 0, out[c]);
            src.release();
            dst.release();
        }
        return out;
    }

    /** The factor with the model's own triggers (model.json {@code serving}), or the constants above without them. */
    static double factor(double imageDiameter, ModelMetadata model, int width, int height) {
        return factor(imageDiameter, model.nucleusDiameter(), width, height, shrinkAbove(model), enlargeBelow(model));
    }

    /** model.json {@code serving.shrink_above}, else the rule of models exported before it. */
    static double shrinkAbove(ModelMetadata model) {
        return Double.isNaN(model.shrinkAbove()) ? MIN_FACTOR_TO_SHRINK : model.shrinkAbove();
    }

    /** model.json {@code serving.enlarge} false: never (infinite); absent or true: the earlier rule. */
    static double enlargeBelow(ModelMetadata model) {
        return model.enlarge() ? MIN_FACTOR_TO_ENLARGE : Double.POSITIVE_INFINITY;
    }

    /**
     * The factor for one image as served: {@code --nucleus-diameter} (NaN = auto, 0 = off, else pixels), the
     * modality its canonical input took and its canonical plane. An image detected as histology by a model that
     * records {@code nucleus_diameter.histology} is measured by {@link NucleusDiameter#estimateWeighted} against
     * that median, with {@code serving.shrink_above_histology} and {@code serving.enlarge_histology_below}: that
     * estimate is reliable enough to enlarge low-magnification histology, which the plain one is not for
     * brightfield (docs/generalisation.md); every other image as before.
     */
    static double factor(double option, float[] canonicalPlane, Modality modality, ModelMetadata model, int width, int height) {
        if (option == 0) return 1.0;
        if (modality != Modality.HISTOLOGY || Double.isNaN(model.histologyNucleusDiameter())) {
            return factor(imageDiameter(option, canonicalPlane, width, height), model, width, height);
        }
        double image = Double.isNaN(option) ? NucleusDiameter.estimateWeighted(canonicalPlane, width, height) : option;
        double trigger = Double.isNaN(model.shrinkAboveHistology()) ? shrinkAbove(model) : model.shrinkAboveHistology();
        double enlarge = Double.isNaN(model.enlargeHistologyBelow()) ? enlargeBelow(model) : model.enlargeHistologyBelow();
        return factor(image, model.histologyNucleusDiameter(), width, height, trigger, enlarge);
    }

    /**
     * The factor for every block of an image too large to hold whole ({@link BlockSegmenter}): the same rule as
     * {@link #factor(double, float[], Modality, ModelMetadata, int, int)}, with the nuclei measured on full-resolution
     * windows of the image pooled into one {@link WindowMosaic}. A subsampled read would not do: every n-th pixel
     * shrinks the nuclei n times, and the smallest fall under {@link NucleusDiameter#MIN_COMPONENT_PX}. The floor
     * of {@link #MIN_SIDE} pixels is taken against the mosaic, which only matters for images far too small for the
     * block path; one window holding the whole image gets exactly the whole-image factor.
     *
     * @param windows        full-resolution windows of the image; none are needed (nor read, see
     *                       {@link Segmenter#readsWindows(Image)}) when {@code option} gives the size, else none = 1
     * @param canonicalPlane a window's canonical plane (nuclei bright), scaled with the whole image's bounds
     */
    static double factor(double option, List<Image> windows, Function<Image, float[]> canonicalPlane, Modality modality,
                         ModelMetadata model) {
        if (option == 0) return 1.0;
        if (!Double.isNaN(option)) { // the user's size: nothing to measure
            int w = windows.isEmpty() ? Integer.MAX_VALUE : windows.get(0).width();
            int h = windows.isEmpty() ? Integer.MAX_VALUE : windows.get(0).height();
            return factor(option, new float[0], modality, model, w, h);
        }
        if (windows.isEmpty()) return 1.0;
        List<float[]> planes = new ArrayList<>();
        int[] widths = new int[windows.size()], heights = new int[windows.size()];
        for (int i = 0; i < windows.size(); i++) {
            planes.add(canonicalPlane.apply(windows.get(i)));
            widths[i] = windows.get(i).width();
            heights[i] = windows.get(i).height();
        }
        WindowMosaic mosaic = WindowMosaic.of(planes, widths, heights);
        return factor(option, mosaic.plane(), modality, model, mosaic.width(), mosaic.height());
    }

    /**
     * The image's nucleus diameter as {@code --nucleus-diameter} asks: NaN (auto) estimates it from the
     * canonical plane, 0 (off) gives NaN so that {@link #factor} leaves the image alone, else the user's pixels.
     */
    static double imageDiameter(double option, float[] canonicalPlane, int width, int height) {
        if (option == 0) return Double.NaN;
        return Double.isNaN(option) ? NucleusDiameter.estimate(canonicalPlane, width, height) : option;
    }

    /** The histology rule's part of a model version: "" for a model without it, so that older versions stand. */
    static String histologySettings(ModelMetadata model) {
        if (Double.isNaN(model.histologyNucleusDiameter())) return "";
        return ",dh=" + model.histologyNucleusDiameter()
                + (Double.isNaN(model.shrinkAboveHistology()) ? "" : ",shrinkh=" + model.shrinkAboveHistology())
                + (Double.isNaN(model.enlargeHistologyBelow()) ? "" : ",enlargeh=" + model.enlargeHistologyBelow());
    }

    static int scaled(int side, double factor) {
        return Math.max(1, (int) Math.round(side * factor));
    }
}
