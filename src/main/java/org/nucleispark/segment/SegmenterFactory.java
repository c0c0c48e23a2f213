package org.nucleispark.segment;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * One model that {@code segment --model} can run: its key, its help line, the model files it reads,
 * the settings its segmenters depend on, and how to build one. Registered in {@link SegmenterRegistry}
 * (one line there); {@link Segmenters} keeps one segmenter per JVM per model and settings.
 *
 * <p>In the spirit of QuPath's {@code DnnModelBuilder} and TrackMate's detector factories (key,
 * defaults, check), without ServiceLoader: executors find a model by its key in a fixed list, never by
 * scanning the classpath.
 */
public interface SegmenterFactory {
    /** The {@code --model} value, and the {@link Segmenter#name()} of what {@link #create} builds. */
    String key();

    /** One line for {@code --model}'s help: what the model is, and how good (out-of-fold mAP). */
    String help();

    /**
     * The folders under {@code --models-dir} it reads ({@code <folder>/model.json} and what that names),
     * its members' included; empty for a model without files, which may then run from any models dir.
     */
    List<String> modelFolders();

    /**
     * Keys of the registered models it combines (an ensemble's members): built first, through the
     * segmenter cache, so they are shared with runs of the members themselves.
     */
    default List<String> members() {
        return List.of();
    }

    /**
     * The settings of {@code spec} its segmenters depend on, defaults filled in and checked (an
     * {@link IllegalArgumentException} says what is wrong); with the key, models dir and device, the
     * key of the segmenter cache. A model that reads no flags answers a constant, so flags meant for
     * other models do not make it load twice.
     */
    Object settings(SegmenterSpec spec);

    /**
     * Builds a segmenter for {@code spec}, reading model files through {@code conf}; {@code members}
     * holds the built {@link #members()} by key. Throws
     * {@link org.nucleispark.model.ModelUnavailableException} with the fix when its files are missing or wrong.
     */
    Segmenter create(SegmenterSpec spec, Configuration conf, Map<String, Segmenter> members);
}
