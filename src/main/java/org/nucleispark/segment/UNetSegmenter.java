package org.nucleispark.segment;

import java.util.List;
import org.nucleispark.image.CanonicalInput;
import org.nucleispark.image.DabGate;
import org.nucleispark.image.Image;
import org.nucleispark.image.Modality;
import org.nucleispark.image.ImageStatistics;
import org.nucleispark.image.PercentileNormaliser;
import org.nucleispark.image.Segmentation;
import org.nucleispark.model.ModelFiles;
import org.nucleispark.model.ModelMetadata;
import org.nucleispark.model.ModelUnavailableException;
import org.nucleispark.postprocess.ProbabilityWatershed;

/**
 * U-Net with a touching-border channel (the 2019 thesis' first model): normalise as in training,
 * predict nucleus and border probabilities tile by tile, separate instances by a marker-controlled
 * watershed on the probability map. Scores are each instance's mean nucleus probability.
 */
public final class UNetSegmenter implements Segmenter {
    private final ModelMetadata metadata;
    private final TorchModel model;
    private final PercentileNormaliser normaliser;
    private final TiledPredictor predictor;
    /** One view, for the images whose modality --tta-modalities leaves out; the same as predictor without TTA. */
    private final TiledPredictor oneView;
    private final UNetOptions options;
    private final ProbabilityWatershed watershed;
    private final String version;
    private final CanonicalInput canonical;

    public UNetSegmenter(ModelFiles files, UNetOptions options) {
        this(files, options, null);
    }

    /** @param device DJL device for the model ({@link GpuAssignment}); null = DJL's default */
    public UNetSegmenter(ModelFiles files, UNetOptions options, String device) {
        this.metadata = files.metadata();
        if (metadata.inputChannels() != 3 || metadata.outputChannels() != 2) {
            throw new ModelUnavailableException("model '" + metadata.name() + "' has " + metadata.inputChannels() + " inputs and "
                    + metadata.outputChannels() + " outputs; the U-Net segmenter needs 3 (RGB) and 2 (nucleus, touching border)");
        }
        InferenceEngine engine = options.engine().resolve(files.localOnnx() != null, device);
        this.model = new TorchModel(engine.weights(files), device, engine);
        this.normaliser = new PercentileNormaliser(metadata.normLowPercentile(), metadata.normHighPercentile());
        this.canonical = metadata.canonical();
        this.options = options;
        this.predictor = new TiledPredictor(model, 2, metadata.tileSize(), metadata.tileOverlap(), metadata.sizeMultiple(),
                options.flips(), options.batchSize(), options.passPixels());
        this.oneView = options.flips() == 1 ? predictor : new TiledPredictor(model, 2, metadata.tileSize(), metadata.tileOverlap(),
                metadata.sizeMultiple(), 1, options.batchSize(), options.passPixels());
        this.watershed = new ProbabilityWatershed(options.effectiveThreshold(metadata), options.effectiveBorderThreshold(metadata),
                metadata.markerMargin(), metadata.smoothSigma(), metadata.minObjectPx());
        this.version = metadata.sha256().substring(0, 12) + "-"
                + ClassicalSegmenter.sha256Prefix(options.describe(metadata)).substring(0, 6);
    }

    @Override
    public String name() {
        return "unet";
    }

    @Override
    public String version() {
        return version;
    }

    /** Nucleus and border probability maps, each w*h row-major. */
    public float[][] probabilities(Image image) {
        return scaledProbabilities(image).p();
    }

    /** Probability maps at the image's pixels, and the factor the image was resized by for the network. */
    private record Scaled(float[][] p, double factor) {}

    private Scaled scaledProbabilities(Image image) {
        if (canonical == null) return new Scaled(probabilities(image, normaliser.normalise(image, 3), null), 1.0);
        Modality m = modalityOf(image);
        CanonicalInput.Served served = canonical.serve(image, m);
        int w = image.width(), h = image.height();
        double f = ScaleToModel.factor(options.nucleusDiameter(), served.measuring(), m, metadata, w, h);
        return new Scaled(predict(served.input(), w, h, m, f), f);
    }

    /** Predicts on the input resized by {@code f} (1 = as it is) and resizes the probabilities back to w×h. */
    private float[][] predict(float[][] input, int w, int h, Modality m, double f) {
        TiledPredictor views = predictorFor(m);
        if (f == 1.0) return views.predict(input, w, h);
        int sw = ScaleToModel.scaled(w, f), sh = ScaleToModel.scaled(h, f);
        float[][] p = views.predict(ScaleToModel.resize(input, w, h, sw, sh), sw, sh);
        return ScaleToModel.resize(p, sw, sh, w, h);
    }

    /** The modality the canonical input takes this image to have: --modality, else detected. */
    private Modality modalityOf(Image image) {
        return options.modality() != null ? options.modality() : canonical.detect(image);
    }

    /** TTA's views for the modalities --tta-modalities names (and for a model without modalities), else one. */
    private TiledPredictor predictorFor(Modality m) {
        return options.flipsFor(m) == 1 ? oneView : predictor;
    }

    private float[][] probabilities(Image image, float[][] input, Modality m) {
        return predictorFor(m).predict(input, image.width(), image.height());
    }

    @Override
    public Segmentation segment(Image image) {
        Scaled s = scaledProbabilities(image);
        return separate(image, s.p(), s.factor());
    }

    /**
     * The percentile bounds (everything after normalisation is local to each tile anyway) and, for a canonical-input
     * model, the factor that brings the windows' nuclei to the model's size: every block is resized by it, as the
     * whole image would have been.
     */
    @Override
    public ImageStatistics statistics(Image sample, List<Image> windows) {
        if (canonical == null) return ImageStatistics.ofBounds(normaliser.bounds(sample, 3));
        Modality m = modalityOf(sample);
        DabGate gate = canonical.gate(windows, m);
        ImageStatistics s = ImageStatistics.ofCanonical(canonical.bounds(sample, m, gate), m, gate);
        PercentileNormaliser.Bounds measuring = canonical.measuringBounds(sample, m, gate, s.bounds());
        return s.withScale(ScaleToModel.factor(options.nucleusDiameter(), windows,
                w -> canonical.measuringPlane(w, m, measuring, gate), m, metadata));
    }

    /** To measure the nuclei (unless --nucleus-diameter gives them), and to decide an IHC image's DAB. */
    @Override
    public boolean readsWindows(Image sample) {
        if (canonical == null) return false;
        return Double.isNaN(options.nucleusDiameter()) || canonical.decidesDab(modalityOf(sample));
    }

    @Override
    public Segmentation segment(Image block, ImageStatistics wholeImage) {
        if (canonical == null) return separate(block, probabilities(block, normaliser.normalise(block, 3, wholeImage.bounds()), null), 1.0);
        float[][] input = canonical.normalise(block, wholeImage.modality(), wholeImage.bounds(), wholeImage.dabGate());
        return separate(block, predict(input, block.width(), block.height(), wholeImage.modality(), wholeImage.scale()),
                wholeImage.scale());
    }

    /** @param factor what the image was resized by for the network: the watershed's smoothing is in its pixels */
    private Segmentation separate(Image image, float[][] p, double factor) {
        ProbabilityWatershed.Result r = watershed.separate(p[0], p[1], image.width(), image.height(), factor);
        return new Segmentation(r.labels(), r.scores());
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
