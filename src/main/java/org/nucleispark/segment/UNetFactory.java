package org.nucleispark.segment;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.nucleispark.model.ModelFiles;

/**
 * {@code --model unet}: {@link UNetSegmenter} over {@code <models-dir>/unet/}, served with the U-Net
 * flags ({@link UNetOptions}: --tta, thresholds, --batch-size, --modality, --nucleus-diameter).
 */
final class UNetFactory implements SegmenterFactory {
    @Override
    public String key() {
        return "unet";
    }

    @Override
    public String help() {
        return "U-Net with a touching-border channel and a watershed, canonical input, TorchScript / ONNX";
    }

    @Override
    public List<String> modelFolders() {
        return List.of("unet");
    }

    @Override
    public Object settings(SegmenterSpec spec) {
        return spec.unetOptions();
    }

    @Override
    public Segmenter create(SegmenterSpec spec, Configuration conf, Map<String, Segmenter> members) {
        ModelFiles files = ModelFiles.resolve(spec.modelsDir(), "unet", conf);
        try {
            return new UNetSegmenter(files, (UNetOptions) settings(spec), spec.device());
        } finally {
            files.deleteLocalCopy(); // libtorch holds the weights in memory once loaded
        }
    }
}
