package org.nucleispark.segment;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.nucleispark.ensemble.IouModelFiles;

/**
 * {@code --model ensemble}: {@link EnsembleSegmenter} over its members unet and maskrcnn and the IoU
 * trees in {@code <models-dir>/ensemble/}. Its settings are its U-Net member's.
 */
final class EnsembleFactory implements SegmenterFactory {
    @Override
    public String key() {
        return "ensemble";
    }

    @Override
    public String help() {
        return "unet and maskrcnn, each instance kept by its predicted IoU (gradient-boosted trees) and NMS (the best shipped)";
    }

    @Override
    public List<String> modelFolders() {
        return List.of("unet", "maskrcnn", "ensemble");
    }

    @Override
    public List<String> members() {
        return List.of("unet", "maskrcnn");
    }

    @Override
    public Object settings(SegmenterSpec spec) {
        return spec.unetOptions();
    }

    @Override
    public Segmenter create(SegmenterSpec spec, Configuration conf, Map<String, Segmenter> members) {
        IouModelFiles.Loaded m = IouModelFiles.load(spec.modelsDir(), conf);
        return new EnsembleSegmenter(members.get("unet"), members.get("maskrcnn"), m.model(), m.sha256());
    }
}
