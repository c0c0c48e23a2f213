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
        Modality m = ofKey(text.trim().toLowerCase(Locale.ROOT));
        if (m == null) throw new IllegalArgumentException("--modality must be auto, fluorescence, brightfield or histology, not '" + text + "'");
        return m;
    }

    /** The modality whose {@link #key()} this is exactly, or null when none is: each caller says what it expected. */
    public static Modality ofKey(String key) {
        for (Modality m : values()) {
            if (m.key().equals(key)) return m;
        }
        return null;
    }
}
