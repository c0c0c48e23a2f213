package org.nucleispark.segment;

import java.util.List;
import org.nucleispark.ensemble.IouModelFiles;
import org.apache.hadoop.conf.Configuration;
import java.util.concurrent.ConcurrentHashMap;
import org.nucleispark.model.ModelFiles;
import org.nucleispark.model.ModelUnavailableException;

/**
 * One segmenter per model per JVM: an executor's task threads share it, so model weights are loaded
 * once per executor rather than once per task or per image.
 */
public final class Segmenters {
    public static final List<String> KNOWN = List.of("classical", "unet", "maskrcnn", "ensemble");
    private static final ConcurrentHashMap<SegmenterSpec, Segmenter> CACHE = new ConcurrentHashMap<>();

    private Segmenters() {}

    /** Returns this JVM's segmenter for the spec, building it on first use. */
    public static Segmenter get(SegmenterSpec spec) {
        return get(spec, new Configuration());
    }

    /**
     * As {@link #get(SegmenterSpec)}, reading model files through {@code conf} (the job's Hadoop
     * settings, e.g. S3 endpoint and credentials for a {@code --models-dir s3a://…}).
     */
    public static Segmenter get(SegmenterSpec spec, Configuration conf) {
        if (spec.model().equals("ensemble")) {
            // members first, through the cache: they are shared with plain unet/maskrcnn runs, and a
            // ConcurrentHashMap must not be updated from inside its own computeIfAbsent
            Segmenter unet = get(new SegmenterSpec("unet", spec.modelsDir(), spec.unet(), spec.device()), conf);
            Segmenter maskrcnn = get(new SegmenterSpec("maskrcnn", spec.modelsDir(), spec.unet(), spec.device()), conf);
            return CACHE.computeIfAbsent(spec, s -> {
                IouModelFiles.Loaded m = IouModelFiles.load(s.modelsDir(), conf);
                return new EnsembleSegmenter(unet, maskrcnn, m.model(), m.sha256());
            });
        }
        return CACHE.computeIfAbsent(spec, s -> create(s, conf));
    }

    /**
     * Checks on the driver, before any image is read, that the model can be built; throws
     * {@link ModelUnavailableException} with the fix otherwise.
     */
    public static void check(SegmenterSpec spec, Configuration conf) {
        get(spec, conf);
    }

    private static Segmenter create(SegmenterSpec spec, Configuration conf) {
        switch (spec.model()) {
            case "classical":
                return new ClassicalSegmenter(ClassicalOptions.defaults());
            case "unet":
                return new UNetSegmenter(ModelFiles.resolve(spec.modelsDir(), "unet", conf), spec.unet(), spec.device());
            case "maskrcnn":
                return new MaskRcnnSegmenter(ModelFiles.resolve(spec.modelsDir(), "maskrcnn", conf), spec.device());
            default:
                throw new ModelUnavailableException("unknown model '" + spec.model() + "'; choose one of " + KNOWN);
        }
    }
}
