package org.nucleispark.segment;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.nucleispark.model.ModelFiles;

/**
 * {@code --model maskrcnn}: {@link MaskRcnnSegmenter} over {@code <models-dir>/maskrcnn/}. Its
 * thresholds come from its model.json; of the flags it reads only the input ones it shares with the
 * U-Net, {@code --modality} and {@code --nucleus-diameter} (which a model without a serving block ignores).
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
        UNetOptions o = spec.unetOptions();
        return List.of(o.modality() == null ? "auto" : o.modality().key(), o.nucleusDiameter());
    }

    @Override
    public Segmenter create(SegmenterSpec spec, Configuration conf, Map<String, Segmenter> members) {
        ModelFiles files = ModelFiles.resolve(spec.modelsDir(), "maskrcnn", conf);
        try {
            UNetOptions o = spec.unetOptions();
            return new MaskRcnnSegmenter(files, o.modality(), o.nucleusDiameter(), spec.device());
        } finally {
            files.deleteLocalCopy();
        }
    }
}
