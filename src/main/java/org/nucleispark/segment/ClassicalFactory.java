package org.nucleispark.segment;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** {@code --model classical}: {@link ClassicalSegmenter} with its default settings; no model files. */
final class ClassicalFactory implements SegmenterFactory {
    @Override
    public String key() {
        return "classical";
    }

    @Override
    public String help() {
        return "no weights: Otsu foreground and a distance-transform watershed (out-of-fold mAP on the DSB 2018 training set 0.439)";
    }

    @Override
    public List<String> modelFolders() {
        return List.of();
    }

    @Override
    public Object settings(SegmenterSpec spec) {
        return ClassicalOptions.defaults();
    }

    @Override
    public Segmenter create(SegmenterSpec spec, Configuration conf, Map<String, Segmenter> members) {
        return new ClassicalSegmenter((ClassicalOptions) settings(spec));
    }
}
