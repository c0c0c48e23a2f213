package org.nucleispark.segment;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.nucleispark.model.ModelUnavailableException;

/**
 * The models {@code segment} can run, in the order the CLI lists them. A new model (or your own
 * TorchScript U-Net under a key of its own) is one {@link SegmenterFactory} and one line here.
 */
public final class SegmenterRegistry {
    public static final List<SegmenterFactory> FACTORIES = List.of(
            new ClassicalFactory(),
            new UNetFactory(),
            new MaskRcnnFactory(),
            new EnsembleFactory());

    private SegmenterRegistry() {}

    /** The keys, in registry order: the {@code --model} choices. */
    public static List<String> keys() {
        return FACTORIES.stream().map(SegmenterFactory::key).toList();
    }

    public static Optional<SegmenterFactory> find(String key) {
        return FACTORIES.stream().filter(f -> f.key().equals(key)).findFirst();
    }

    /** The factory for {@code key}; an unknown key is a {@link ModelUnavailableException} naming the choices. */
    public static SegmenterFactory get(String key) {
        return find(key).orElseThrow(() -> new ModelUnavailableException("unknown model '" + key + "'; choose one of " + keys()));
    }

    /** {@code --model}'s help: one "key: help" line per model. */
    public static String[] help() {
        return FACTORIES.stream().map(f -> f.key() + ": " + f.help()).toArray(String[]::new);
    }

    /** "classical, unet, maskrcnn, ensemble". */
    public static String choices() {
        return keys().stream().collect(Collectors.joining(", "));
    }
}
