package org.nucleispark.segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageRegions;
import org.nucleispark.image.ImageStatistics;
import org.nucleispark.image.LabelImage;
import org.nucleispark.image.Segmentation;
import org.nucleispark.io.Rle;
import org.nucleispark.measure.InstanceFeatures;
import org.nucleispark.measure.ShapeMeasurer;
import org.nucleispark.image.RegionReadException;

/**
 * Segments an image too large to hold whole, one block at a time, with any {@link Segmenter}:
 *
 * <ol>
 *   <li>whole-image statistics (normalisation bounds, thresholds) from a subsampled read, so that every
 *       block is scaled and thresholded as the whole image would be; for a model that brings nuclei to its
 *       training size, that size is measured on a few full-resolution windows ({@link NucleusSizeWindows}),
 *       and every block is resized by the one factor the whole image gets;</li>
 *   <li>the image is cut into cores of {@code blockSize}²; each core is read with a margin of context
 *       around it and segmented;</li>
 *   <li>an instance is kept by the block whose core contains its centroid. A nucleus cut by a core's
 *       edge lies whole in the margin of the block that owns it (when the margin is at least its size),
 *       and every centroid lies in exactly one core, so each nucleus is kept once;</li>
 *   <li>kept instances are measured in the block and shifted to image coordinates, and run-length
 *       encoded against the whole image.</li>
 * </ol>
 *
 * At most one block's pixels and labels are held at a time; what grows with the image is only the
 * list of instances. No whole-image label image exists, so none is returned.
 *
 * <p>Where the answer can differ from segmenting the whole image: a nucleus larger than the margin
 * is cut at the block's outer edge (counted in {@link Result#cutInstances()}), and a segmenter whose
 * decisions depend on context further away than the margin (a watershed split between touching
 * nuclei at the margin's edge) may split a nucleus differently in the owning block.
 */
public final class BlockSegmenter {
    private final Segmenter segmenter;
    private final BlockOptions options;

    public BlockSegmenter(Segmenter segmenter, BlockOptions options) {
        this.segmenter = segmenter;
        this.options = options;
    }

    /**
     * @param instances    kept instances in image coordinates, labelled 1..n in block order
     * @param rle          DSB run-length encoding against the whole image, by label
     * @param segmentation scores, sources and predicted IoUs by label; its label image is null
     * @param cutInstances kept instances that touch their block's outer edge inside the image
     *                     (the margin was smaller than they are)
     * @param statistics   the whole image's statistics every block was segmented with (bounds, factor)
     */
    public record Result(List<InstanceFeatures> instances, Map<Integer, String> rle, Segmentation segmentation,
                         int channels, int bitDepth, int blocks, int cutInstances, ImageStatistics statistics) {}

    /** @return the kept instances; {@link Result#statistics()} says how the blocks were normalised and resized */
    public Result segment(ImageRegions image) throws RegionReadException {
        int w = image.width();
        int h = image.height();
        ImageRegions.Sample sample = image.sample(options.samplePixels());
        List<Image> windows = new ArrayList<>();
        if (segmenter.readsWindows(sample.image())) {
            for (NucleusSizeWindows.Window r : NucleusSizeWindows.choose(sample.image(), sample.step(), w, h)) {
                windows.add(image.read(r.x(), r.y(), r.width(), r.height()));
            }
        }
        ImageStatistics statistics = segmenter.statistics(sample.image(), windows);
        int channels = sample.image().channels();
        int bitDepth = sample.image().bitDepth();
        sample = null; // free before the first block
        windows = null;

        int b = options.blockSize();
        int m = options.margin();
        List<InstanceFeatures> kept = new ArrayList<>();
        Map<Integer, String> rle = new LinkedHashMap<>();
        List<Double> scores = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<Double> predicted = new ArrayList<>();
        boolean anySources = false;
        int blocks = 0;
        int cut = 0;
        for (int cy = 0; cy < h; cy += b) {
            for (int cx = 0; cx < w; cx += b) {
                int cx1 = Math.min(cx + b, w), cy1 = Math.min(cy + b, h);
                int ex0 = Math.max(0, cx - m), ey0 = Math.max(0, cy - m);
                int ex1 = Math.min(w, cx1 + m), ey1 = Math.min(h, cy1 + m);
                Image block = image.read(ex0, ey0, ex1 - ex0, ey1 - ey0);
                Segmentation seg = segmenter.segment(block, statistics);
                block = null;
                blocks++;
                LabelImage labels = seg.labels();
                for (InstanceFeatures f : ShapeMeasurer.measure(seg)) {
                    double gx = f.centroidX() + ex0, gy = f.centroidY() + ey0;
                    if (gx < cx || gx >= cx1 || gy < cy || gy >= cy1) continue; // another core owns it
                    int label = kept.size() + 1;
                    kept.add(f.inImage(label, ex0, ey0));
                    rle.put(label, Rle.encodeInImage(labels, f.label(), f.x0(), f.y0(), f.x1(), f.y1(), ex0, ey0, h));
                    scores.add(seg.score(f.label()));
                    anySources |= seg.sources() != null;
                    sources.add(seg.sources() == null ? null : seg.source(f.label(), null));
                    predicted.add(seg.predictedIou(f.label()));
                    boolean touches = (f.x0() == 0 && ex0 > 0) || (f.y0() == 0 && ey0 > 0)
                            || (f.x1() == labels.width() && ex1 < w) || (f.y1() == labels.height() && ey1 < h);
                    if (touches) cut++;
                }
            }
        }
        return new Result(kept, rle, scoresOnly(scores, anySources ? sources : null, predicted), channels, bitDepth, blocks, cut, statistics);
    }

    /** Per-label answers without a label image (index 0, the background, unused). */
    private static Segmentation scoresOnly(List<Double> scores, List<String> sources, List<Double> predicted) {
        int n = scores.size() + 1;
        double[] s = new double[n];
        double[] p = new double[n];
        String[] src = sources == null ? null : new String[n];
        s[0] = Double.NaN;
        p[0] = Double.NaN;
        boolean anyPredicted = false;
        for (int i = 1; i < n; i++) {
            s[i] = scores.get(i - 1);
            p[i] = predicted.get(i - 1);
            anyPredicted |= !Double.isNaN(p[i]);
            if (src != null) src[i] = sources.get(i - 1);
        }
        return new Segmentation(null, s, src, anyPredicted ? p : null);
    }
}
