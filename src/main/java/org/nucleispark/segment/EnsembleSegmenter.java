package org.nucleispark.segment;

import java.util.ArrayList;
import java.util.List;
import org.nucleispark.ensemble.Candidate;
import org.nucleispark.ensemble.CandidateFeatures;
import org.nucleispark.ensemble.Candidates;
import org.nucleispark.ensemble.InstanceNms;
import org.nucleispark.ensemble.IntensityFeatures;
import org.nucleispark.ensemble.IouModel;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageStatistics;
import org.nucleispark.image.Segmentation;
import org.nucleispark.postprocess.InstanceCleaner;
import java.util.Map;

/**
 * The thesis' ensemble: run the U-Net and the Mask R-CNN, measure every instance either proposes,
 * predict each one's IoU with the true nucleus from its features (gradient-boosted trees trained
 * on out-of-fold predictions), then keep the best by greedy NMS across both models. Scores are the
 * predicted IoUs.
 */
public final class EnsembleSegmenter implements Segmenter {
    private final Segmenter unet;
    private final Segmenter maskrcnn;
    private final IouModel model;
    private final String version;

    public EnsembleSegmenter(Segmenter unet, Segmenter maskrcnn, IouModel model, String treesSha256) {
        this.unet = unet;
        this.maskrcnn = maskrcnn;
        this.model = model;
        this.version = treesSha256.substring(0, 12) + "-" + ClassicalSegmenter.sha256Prefix(
                unet.version() + "|" + maskrcnn.version()).substring(0, 6);
    }

    @Override
    public String name() {
        return "ensemble";
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public Segmentation segment(Image image) {
        return combine(unet.segment(image), maskrcnn.segment(image), image);
    }

    @Override
    public ImageStatistics statistics(Image sample, List<Image> windows) {
        return ImageStatistics.ofMembers(Map.of("unet", unet.statistics(sample, windows),
                "maskrcnn", maskrcnn.statistics(sample, windows)));
    }

    @Override
    public boolean readsWindows(Image sample) {
        return unet.readsWindows(sample) || maskrcnn.readsWindows(sample);
    }

    @Override
    public Segmentation segment(Image block, ImageStatistics wholeImage) {
        // a model trained with the optional intensity features sees them scaled by the block's own
        // percentiles here, not the whole image's: close for blocks of a homogeneous slide
        return combine(unet.segment(block, wholeImage.member("unet")), maskrcnn.segment(block, wholeImage.member("maskrcnn")),
                block);
    }

    /** The ensemble step proper, on the members' answers: measure, predict IoU, select, paint. */
    public Segmentation combine(Segmentation unetResult, Segmentation maskrcnnResult, Image image) {
        int width = image.width(), height = image.height();
        List<Candidate> candidates = new ArrayList<>(Candidates.of("unet", unetResult));
        candidates.addAll(Candidates.of("maskrcnn", maskrcnnResult));
        float[] plane = model.usesIntensity() ? IntensityFeatures.plane(image) : null;
        double[] predicted = model.predictAll(CandidateFeatures.of(candidates, plane, width, height, model.featureNames()));
        List<Integer> kept = InstanceNms.select(candidates, predicted, model.maxOverlap(), model.minPredictedIou());
        return InstanceNms.paint(candidates, kept, predicted, width, height, InstanceCleaner.DEFAULT_MIN_AREA);
    }
}
