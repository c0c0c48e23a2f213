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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Segmenters.class);

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
                long t0 = System.nanoTime();
                IouModelFiles.Loaded m = IouModelFiles.load(s.modelsDir(), conf);
                Segmenter e = new EnsembleSegmenter(unet, maskrcnn, m.model(), m.sha256());
                LOG.info(String.format("nucleispark: loaded model ensemble version %s (IoU trees; members above) in %.2f s (pid %d)",
                        e.version(), (System.nanoTime() - t0) / 1e9, ProcessHandle.current().pid()));
                return e;
            });
        }
        return CACHE.computeIfAbsent(spec, s -> logged(s, conf));
    }

    /** Builds the segmenter and says so once per JVM and model: executor logs show each executor loads once. */
    private static Segmenter logged(SegmenterSpec spec, Configuration conf) {
        long t0 = System.nanoTime();
        Segmenter s = create(spec, conf);
        org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
        LOG.info(String.format("nucleispark: loaded model %s version %s on %s in %.2f s (executor %s, pid %d, from %s)",
                s.name(), s.version(), s.device(), (System.nanoTime() - t0) / 1e9, env == null ? "none" : env.executorId(),
                ProcessHandle.current().pid(), spec.modelsDir()));
        return s;
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
            case "unet": {
                ModelFiles files = ModelFiles.resolve(spec.modelsDir(), "unet", conf);
                try {
                    return new UNetSegmenter(files, spec.unet(), spec.device());
                } finally {
                    files.deleteLocalCopy(); // libtorch holds the weights in memory once loaded
                }
            }
            case "maskrcnn": {
                ModelFiles files = ModelFiles.resolve(spec.modelsDir(), "maskrcnn", conf);
                try {
                    return new MaskRcnnSegmenter(files, spec.device());
                } finally {
                    files.deleteLocalCopy();
                }
            }
            default:
                throw new ModelUnavailableException("unknown model '" + spec.model() + "'; choose one of " + KNOWN);
        }
    }
}
