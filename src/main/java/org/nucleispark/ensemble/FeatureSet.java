package org.nucleispark.ensemble;

import java.util.Arrays;
import java.util.List;

/**
 * Which candidate features the IoU trees are fitted on ({@code train-ensemble --features}); model.json records the
 * names, and serving computes exactly those ({@link CandidateFeatures#of(List, float[], int, int, List)}).
 *
 * <ul>
 *   <li>{@link #THESIS}: the thesis' shape, confidence and neighbourhood features, sizes and distances in the image's
 *       own pixels.</li>
 *   <li>{@link #SCALE_FREE}: the same information with every size and distance divided by the image's median candidate
 *       size. The networks see each image brought to their training nucleus size, but the candidates come back in the
 *       image's pixels; trees fitted on absolute areas learn the training set's nucleus sizes and misjudge the
 *       candidates of images at other magnifications (docs/generalisation.md, "Trees that do not know the
 *       magnification").</li>
 * </ul>
 */
public enum FeatureSet {
    THESIS("thesis", CandidateFeatures.NAMES),
    SCALE_FREE("scale-free", CandidateFeatures.SCALE_FREE_NAMES);

    private final String key;
    private final List<String> names;

    FeatureSet(String key, List<String> names) {
        this.key = key;
        this.names = names;
    }

    public String key() {
        return key;
    }

    public List<String> names() {
        return names;
    }

    public static FeatureSet parse(String key) {
        for (FeatureSet s : values()) if (s.key.equals(key)) return s;
        throw new IllegalArgumentException("--features must be one of " + Arrays.stream(values()).map(FeatureSet::key).toList()
                + ", not '" + key + "'");
    }
}
