package org.nucleispark.segment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.nucleispark.image.CanonicalInput;
import org.nucleispark.image.DabGate;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageStatistics;
import org.nucleispark.image.Modality;
import org.nucleispark.image.PercentileNormaliser;
import org.nucleispark.image.Segmentation;
import org.nucleispark.model.ModelFiles;
import org.nucleispark.model.ModelMetadata;
import org.nucleispark.model.ModelUnavailableException;
import org.nucleispark.postprocess.DetectionInstances;
import org.nucleispark.postprocess.MaskPaster;
import org.nucleispark.postprocess.Detections;

/**
 * Mask R-CNN (torchvision, ResNet-FPN, exported to TorchScript by the training recipe) served through
 * DJL: normalise as in training, detect, then {@link DetectionInstances}: score threshold, paste the
 * 28×28 masks, split overlaps by nearest centroid, drop small objects, fill holes. Each instance's
 * score is its detection score.
 *
 * <p>Images up to {@link #WHOLE_IMAGE_TILES} tiles' worth of pixels are detected in one pass (the
 * model takes any size). Larger ones are cut into overlapping tiles; every tile owns the part of the
 * image nearer to it than to its neighbours (the overlap is split down the middle), a detection is
 * kept only by the tile owning its box centre, so each nucleus is detected whole, in a tile whose
 * context surrounds it, and once. Kept boxes are shifted to image coordinates and all masks are
 * pasted on the whole image, so overlaps between tiles' detections are split like any others;
 * a nucleus found by two tiles on either side of their cut is kept once by box NMS at the model's IoU.
 *
 * <p>A model.json with a {@code serving} block (nucleispark_train/maskrcnn_serving.py, which says why) serves
 * images of its {@code canonical_for} modalities the canonical input instead of the percentile RGB it was
 * trained on, and shrinks an image whose nuclei are more than {@code shrink_above} times its training
 * diameter to that size: boxes found on the shrunk image are mapped back and the masks, relative to their
 * boxes, pasted at the image's own pixels. {@code --modality} and {@code --nucleus-diameter} apply as to the
 * U-Net; blocks of a large image are resized by the factor measured once on the whole image's windows
 * ({@link #statistics(Image, List)}), as for the U-Net.
 */
public final class MaskRcnnSegmenter implements Segmenter {
    /** Whole-image detection up to 4 × tile² pixels (1024² with 512 tiles): memory, not accuracy, sets the limit. */
    static final int WHOLE_IMAGE_TILES = 4;

    private final ModelMetadata metadata;
    private final TorchModel model;
    private final PercentileNormaliser normaliser;
    private final DetectionInstances instances;
    private final int tile;
    private final int overlap;
    private final long wholeImageMaxPixels;
    private final double nmsIou;
    private final String version;
    /** The canonical input's recipe when model.json has a serving block, else null (percentile RGB only). */
    private final CanonicalInput canonical;
    private final Set<Modality> canonicalFor;
    /** --modality: null = detect per image. */
    private final Modality forcedModality;
    /** --nucleus-diameter: NaN = estimate (auto), 0 = never rescale (off), else the user's pixels. */
    private final double nucleusDiameter;

    public MaskRcnnSegmenter(ModelFiles files) {
        this(files, null);
    }

    /** @param device DJL device for the model ({@link GpuAssignment}); null = DJL's default */
    public MaskRcnnSegmenter(ModelFiles files, String device) {
        this(files, null, Double.NaN, device);
    }

    /**
     * @param modality        --modality (null: detect per image); used only by a model with a serving block
     * @param nucleusDiameter --nucleus-diameter (NaN auto, 0 off, else pixels); likewise
     */
    public MaskRcnnSegmenter(ModelFiles files, Modality modality, double nucleusDiameter, String device) {
        this(files, files.metadata().tileSize(), files.metadata().tileOverlap(),
                (long) WHOLE_IMAGE_TILES * files.metadata().tileSize() * files.metadata().tileSize(), modality, nucleusDiameter, device);
    }

    /** Tiling settings given explicitly (tests: small tiles on small images). */
    MaskRcnnSegmenter(ModelFiles files, int tile, int overlap, long wholeImageMaxPixels) {
        this(files, tile, overlap, wholeImageMaxPixels, null, Double.NaN, null);
    }

    private MaskRcnnSegmenter(ModelFiles files, int tile, int overlap, long wholeImageMaxPixels, Modality modality,
                              double nucleusDiameter, String device) {
        this.metadata = files.metadata();
        if (metadata.inputChannels() != 3 || metadata.maskSize() <= 0 || Double.isNaN(metadata.scoreThreshold())
                || Double.isNaN(metadata.maskThreshold())) {
            throw new ModelUnavailableException("model '" + metadata.name() + "' is not a detector the Mask R-CNN segmenter can serve:"
                    + " it needs input_channels 3, mask_size, thresholds.score_threshold and thresholds.mask_threshold in model.json");
        }
        if (overlap < 0 || overlap >= tile / 2) throw new IllegalArgumentException("overlap must be in [0, tile/2), got " + overlap);
        this.tile = tile;
        this.overlap = overlap;
        this.wholeImageMaxPixels = wholeImageMaxPixels;
        this.nmsIou = Double.isNaN(metadata.boxNmsIou()) ? 0.5 : metadata.boxNmsIou();
        this.model = new TorchModel(files.localWeights(), device);
        this.normaliser = new PercentileNormaliser(metadata.normLowPercentile(), metadata.normHighPercentile());
        MaskPaster.Method paste;
        try {
            paste = MaskPaster.Method.of(metadata.maskPaste());
        } catch (IllegalArgumentException e) {
            throw new ModelUnavailableException("model '" + metadata.name() + "': " + e.getMessage());
        }
        this.instances = new DetectionInstances(metadata.scoreThreshold(), metadata.maskThreshold(), metadata.minObjectPx(), paste);
        this.canonical = metadata.canonical();
        this.canonicalFor = metadata.canonicalFor();
        this.forcedModality = modality;
        this.nucleusDiameter = nucleusDiameter;
        String settings = "score=" + metadata.scoreThreshold() + ",mask=" + metadata.maskThreshold() + ",min=" + metadata.minObjectPx()
                + (paste == MaskPaster.Method.TORCHVISION ? "" : ",paste=" + paste.key()) + servingSettings();
        this.version = metadata.sha256().substring(0, 12) + "-" + ClassicalSegmenter.sha256Prefix(settings).substring(0, 6);
    }

    /**
     * The serving block's part of the version (model.json can change without the weights' sha256), and the
     * flags that change this model's output: none for a model without the block, so older versions stand.
     */
    private String servingSettings() {
        if (canonical == null) return "";
        return ",in=" + canonicalFor.stream().map(Modality::key).sorted().collect(Collectors.joining("+"))
                + ",dm=" + metadata.nucleusDiameter() + ",shrink=" + ScaleToModel.shrinkAbove(metadata) + (metadata.enlarge() ? ",enlarge" : "")
                + ScaleToModel.histologySettings(metadata) + canonical.settings()
                + (forcedModality == null ? "" : ",m=" + forcedModality.key())
                + (Double.isNaN(nucleusDiameter) ? "" : ",d=" + nucleusDiameter);
    }

    @Override
    public String name() {
        return "maskrcnn";
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public Segmentation segment(Image image) {
        return label(image, detect(image));
    }

    /** Bounds as for the whole image, and the factor its windows' nuclei ask for (see {@link #detect(Image)}). */
    @Override
    public ImageStatistics statistics(Image sample, List<Image> windows) {
        Modality m = canonical == null ? null : modalityOf(sample);
        if (m == null) return ImageStatistics.ofBounds(normaliser.bounds(sample, 3));
        DabGate gate = canonical.gate(windows, m);
        PercentileNormaliser.Bounds canonicalBounds = canonical.bounds(sample, m, gate);
        ImageStatistics s = canonicalFor.contains(m) ? ImageStatistics.ofCanonical(canonicalBounds, m, gate)
                : new ImageStatistics(normaliser.bounds(sample, 3), false, Float.NaN, Map.of(), m, 1.0, gate);
        PercentileNormaliser.Bounds measuring = canonical.measuringBounds(sample, m, gate, canonicalBounds);
        return s.withScale(ScaleToModel.factor(nucleusDiameter, windows,
                w -> canonical.measuringPlane(w, m, measuring, gate), m, metadata));
    }

    /** To measure the nuclei (unless --nucleus-diameter gives them), and to decide an IHC image's DAB. */
    @Override
    public boolean readsWindows(Image sample) {
        if (canonical == null) return false;
        return Double.isNaN(nucleusDiameter) || canonical.decidesDab(modalityOf(sample));
    }

    @Override
    public Segmentation segment(Image block, ImageStatistics wholeImage) {
        Modality m = wholeImage.modality();
        float[][] planes = m != null && canonical != null && canonicalFor.contains(m)
                ? canonical.normalise(block, m, wholeImage.bounds(), wholeImage.dabGate())
                : normaliser.normalise(block, 3, wholeImage.bounds());
        return label(block, detect(planes, block.width(), block.height(), wholeImage.scale()));
    }

    private Modality modalityOf(Image image) {
        return forcedModality != null ? forcedModality : canonical.detect(image);
    }

    private Segmentation label(Image image, Detections d) {
        DetectionInstances.Result r = instances.label(d, image.width(), image.height());
        return new Segmentation(r.labels(), r.scores());
    }

    /** The model's detections in image coordinates, best first (every score the model emits, unthresholded). */
    public Detections detect(Image image) {
        int w = image.width(), h = image.height();
        if (canonical == null) return detect(normaliser.normalise(image, 3), w, h);
        Modality m = modalityOf(image);
        CanonicalInput.Served served = canonical.serve(image, m);
        float[][] planes = canonicalFor.contains(m) ? served.input() : normaliser.normalise(image, 3);
        return detect(planes, w, h, ScaleToModel.factor(nucleusDiameter, served.measuring(), m, metadata, w, h));
    }

    /** Detections on the planes resized by {@code f} (1 = as they are), in the planes' own pixels. */
    private Detections detect(float[][] planes, int w, int h, double f) {
        if (f == 1.0) return detect(planes, w, h);
        int sw = ScaleToModel.scaled(w, f), sh = ScaleToModel.scaled(h, f);
        Detections small = detect(ScaleToModel.resize(planes, w, h, sw, sh), sw, sh);
        return boxesScaled(small, (double) w / sw, (double) h / sh);
    }

    /** Detections on a resized image mapped back to the image's pixels: only the boxes; masks are relative to them. */
    static Detections boxesScaled(Detections d, double sx, double sy) {
        float[] boxes = d.boxes().clone();
        for (int k = 0; k < boxes.length; k += 4) {
            boxes[k] = (float) (boxes[k] * sx);
            boxes[k + 1] = (float) (boxes[k + 1] * sy);
            boxes[k + 2] = (float) (boxes[k + 2] * sx);
            boxes[k + 3] = (float) (boxes[k + 3] * sy);
        }
        return new Detections(boxes, d.scores(), d.masks(), d.maskSize());
    }

    private Detections detect(float[][] planes, int w, int h) {
        if ((long) w * h <= wholeImageMaxPixels) return run(planes, w, h, 0, 0, w, h);
        int[] xs = starts(w), ys = starts(h);
        List<Detections> parts = new ArrayList<>();
        for (int ty = 0; ty < ys.length; ty++) {
            for (int tx = 0; tx < xs.length; tx++) {
                int tw = Math.min(tile, w), th = Math.min(tile, h);
                Detections t = run(planes, w, h, xs[tx], ys[ty], tw, th);
                parts.add(owned(t, ownedFrom(xs, tx), ownedTo(xs, tx, w), ownedFrom(ys, ty), ownedTo(ys, ty, h)));
            }
        }
        return suppressDuplicates(merge(parts, metadata.maskSize()), nmsIou);
    }

    /**
     * Greedy box NMS over the merged detections, best first. A nucleus near the cut between two tiles
     * can be detected by both with box centres on either side of the cut; both would be kept and the
     * overlap split would halve the nucleus. The model already ran this NMS inside each tile, so it
     * only removes such cross-tile duplicates.
     */
    static Detections suppressDuplicates(Detections d, double iouAbove) {
        int n = d.count();
        List<Integer> kept = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            boolean keep = true;
            for (int j : kept) {
                if (boxIou(d, j, k) > iouAbove) {
                    keep = false;
                    break;
                }
            }
            if (keep) kept.add(k);
        }
        return select(d, kept);
    }

    private static double boxIou(Detections d, int a, int b) {
        double iw = Math.min(d.x2(a), d.x2(b)) - Math.max(d.x1(a), d.x1(b));
        double ih = Math.min(d.y2(a), d.y2(b)) - Math.max(d.y1(a), d.y1(b));
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih;
        double areaA = (double) (d.x2(a) - d.x1(a)) * (d.y2(a) - d.y1(a));
        double areaB = (double) (d.x2(b) - d.x1(b)) * (d.y2(b) - d.y1(b));
        return inter / (areaA + areaB - inter);
    }

    private Detections run(float[][] planes, int w, int h, int x0, int y0, int tw, int th) {
        float[] input = new float[3 * tw * th];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < th; y++) System.arraycopy(planes[c], (y0 + y) * w + x0, input, (c * th + y) * tw, tw);
        }
        float[][] out = model.runAll(input, 1, 3, th, tw);
        if (out.length != 3) throw new IllegalStateException("the detector returned " + out.length + " outputs; expected boxes, scores, masks");
        float[] boxes = out[0];
        for (int k = 0; k < boxes.length; k += 4) {
            boxes[k] += x0;
            boxes[k + 1] += y0;
            boxes[k + 2] += x0;
            boxes[k + 3] += y0;
        }
        return new Detections(boxes, out[1], out[2], metadata.maskSize());
    }

    /** Tile origins along one axis: stride tile - overlap, the last tile flush with the far edge. */
    int[] starts(int size) {
        if (size <= tile) return new int[] {0};
        List<Integer> s = new ArrayList<>();
        for (int o = 0; o + tile < size; o += tile - overlap) s.add(o);
        s.add(size - tile);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** First coordinate owned by tile i: the middle of its overlap with tile i - 1 (0 for the first). */
    int ownedFrom(int[] starts, int i) {
        return i == 0 ? 0 : ownedTo(starts, i - 1, Integer.MAX_VALUE);
    }

    /** End (exclusive) of tile i's owned range: the middle of its overlap with tile i + 1 (size for the last). */
    int ownedTo(int[] starts, int i, int size) {
        if (i == starts.length - 1) return size;
        return (starts[i] + tile + starts[i + 1]) / 2;
    }

    /** The detections whose box centre lies in [x0, x1) × [y0, y1). */
    static Detections owned(Detections d, int x0, int x1, int y0, int y1) {
        List<Integer> keep = new ArrayList<>();
        for (int k = 0; k < d.count(); k++) {
            double cx = (d.x1(k) + d.x2(k)) / 2.0, cy = (d.y1(k) + d.y2(k)) / 2.0;
            if (cx >= x0 && cx < x1 && cy >= y0 && cy < y1) keep.add(k);
        }
        return select(d, keep);
    }

    private static Detections select(Detections d, List<Integer> keep) {
        int m2 = d.maskSize() * d.maskSize();
        float[] boxes = new float[4 * keep.size()], scores = new float[keep.size()], masks = new float[m2 * keep.size()];
        for (int j = 0; j < keep.size(); j++) {
            int k = keep.get(j);
            System.arraycopy(d.boxes(), 4 * k, boxes, 4 * j, 4);
            scores[j] = d.scores()[k];
            System.arraycopy(d.masks(), m2 * k, masks, m2 * j, m2);
        }
        return new Detections(boxes, scores, masks, d.maskSize());
    }

    /** All tiles' detections, best score first (stable: on equal scores, earlier tiles first). */
    static Detections merge(List<Detections> parts, int maskSize) {
        int m2 = maskSize * maskSize;
        List<float[]> rows = new ArrayList<>(); // score, part, index
        for (int p = 0; p < parts.size(); p++) {
            for (int k = 0; k < parts.get(p).count(); k++) rows.add(new float[] {parts.get(p).scores()[k], p, k});
        }
        rows.sort(Comparator.comparingDouble((float[] r) -> -r[0]));
        int n = rows.size();
        float[] boxes = new float[4 * n], scores = new float[n], masks = new float[m2 * n];
        for (int j = 0; j < n; j++) {
            Detections d = parts.get((int) rows.get(j)[1]);
            int k = (int) rows.get(j)[2];
            System.arraycopy(d.boxes(), 4 * k, boxes, 4 * j, 4);
            scores[j] = d.scores()[k];
            System.arraycopy(d.masks(), m2 * k, masks, m2 * j, m2);
        }
        return new Detections(boxes, scores, masks, maskSize);
    }

    @Override
    public String device() {
        return model.device();
    }

    @Override
    public void close() {
        model.close();
    }
}
