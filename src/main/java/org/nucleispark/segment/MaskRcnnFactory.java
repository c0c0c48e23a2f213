package org.nucleispark.segment;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.nucleispark.model.ModelFiles;

/**
 * {@code --model maskrcnn}: {@link MaskRcnnSegmenter} over {@code <models-dir>/maskrcnn/}. Its
 * thresholds come from its model.json; it reads no flags, so its settings are a constant.
 */
final class MaskRcnnFactory implements SegmenterFactory {
    @Override
    public String key() {
        return "maskrcnn";
    }

    @Override
    public String help() {
        return "Mask R-CNN (torchvision ResNet-FPN), TorchScript";
    }

    @Override
    public List<String> modelFolders() {
        return List.of("maskrcnn");
    }

    @Override
    public Object settings(SegmenterSpec spec) {
        return List.of();
    }

    @Override
    public Segmenter create(SegmenterSpec spec, Configuration conf, Map<String, Segmenter> members) {
        ModelFiles files = ModelFiles.resolve(spec.modelsDir(), "maskrcnn", conf);
        try {
            return new MaskRcnnSegmenter(files, spec.device());
        } finally {
            files.deleteLocalCopy();
        }
    }
}
