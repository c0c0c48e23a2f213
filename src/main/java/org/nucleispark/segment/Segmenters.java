package org.nucleispark.segment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import java.util.concurrent.ConcurrentHashMap;
import org.nucleispark.model.ModelUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.spark.SparkEnv;

/**
 * One segmenter per model per JVM: an executor's task threads share it, so model weights are loaded
 * once per executor rather than once per task or per image. Which models exist, and how each is
 * built, is {@link SegmenterRegistry}'s.
 */
public final class Segmenters {
    /** The registered models' keys: the {@code --model} choices. */
    public static final List<String> KNOWN = SegmenterRegistry.keys();
    private static final ConcurrentHashMap<CacheKey, Segmenter> CACHE = new ConcurrentHashMap<>();
    private static final Logger LOG = LoggerFactory.getLogger(Segmenters.class);

    /**
     * What a cached segmenter depends on: the model, where its files are, the settings its factory
     * reads ({@link SegmenterFactory#settings}) and the device. Only in memory: the persisted model
     * version is {@link Segmenter#version()}, which does not depend on this key.
     */
    private record CacheKey(String model, String modelsDir, Object settings, String device) {}

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
        SegmenterFactory factory = SegmenterRegistry.get(spec.model());
        CacheKey key = new CacheKey(factory.key(), spec.modelsDir(), factory.settings(spec), spec.device());
        if (factory.members().isEmpty()) {
            return CACHE.computeIfAbsent(key, k -> logged(factory, spec, conf));
        }
        // members first, through the cache: they are shared with plain runs of the members, and a
        // ConcurrentHashMap must not be updated from inside its own computeIfAbsent
        Map<String, Segmenter> members = new LinkedHashMap<>();
        for (String m : factory.members()) {
            members.put(m, get(new SegmenterSpec(m, spec.modelsDir(), spec.unet(), spec.device()), conf));
        }
        return CACHE.computeIfAbsent(key, k -> {
            long t0 = System.nanoTime();
            Segmenter e = factory.create(spec, conf, members);
            LOG.info(String.format("nucleispark: loaded model %s version %s (members above: %s) in %.2f s (pid %d)",
                    e.name(), e.version(), String.join(", ", members.keySet()), (System.nanoTime() - t0) / 1e9,
                    ProcessHandle.current().pid()));
            return e;
        });
    }

    /** Builds the segmenter and says so once per JVM and model: executor logs show each executor loads once. */
    private static Segmenter logged(SegmenterFactory factory, SegmenterSpec spec, Configuration conf) {
        long t0 = System.nanoTime();
        Segmenter s = factory.create(spec, conf, Map.of());
        SparkEnv env = SparkEnv.get();
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
}
