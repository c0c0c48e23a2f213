package org.nucleispark.image;

import java.util.Locale;

/**
 * How nuclei appear in an image, as {@link CanonicalInput} tells them apart: bright on dark
 * (fluorescence), dark on a bright field (brightfield), or stained in colour (H&E, IHC histology).
 */
public enum Modality {
    FLUORESCENCE, BRIGHTFIELD, HISTOLOGY;

    /** The lower-case name used in model.json, on the command line and in the output. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code auto} (null: detect per image) or one of the modality names. */
    public static Modality parseOrAuto(String text) {
        if (text == null || text.equalsIgnoreCase("auto")) return null;
        for (Modality m : values()) {
            if (m.key().equalsIgnoreCase(text.trim())) return m;
        }
        throw new IllegalArgumentException("--modality must be auto, fluorescence, brightfield or histology, not '" + text + "'");
    }
}
