package org.nucleispark.image;

/**
 * Whether the canonical input adds an immunohistochemistry image's DAB to its haematoxylin
 * ({@link CanonicalInput}): {@code canonical.solid_regions} adds the DAB of solid regions only when those hold at
 * least {@code dab_solid_share} of all the image's DAB, since a membranous stain's broken rings are solid arcs.
 * That share belongs to the whole image. A block of a large image holding only a few arcs would pass it on its own
 * and turn them into nuclei, so the block path decides it once, on the image's full-resolution windows
 * ({@link CanonicalInput#gate}), and every block follows that decision.
 */
public enum DabGate {
    /** Decide on the image at hand: the rule of an image segmented whole. */
    EACH_IMAGE,
    /** The whole image passed: add the DAB of every solid region. */
    SOLID_REGIONS,
    /** The whole image failed (a membranous stain) or has no DAB: haematoxylin alone. */
    NONE,
    /**
     * As {@link #NONE}, and the rings cover at least {@code membranous_share} of the image: membranous IHC, whose
     * networks see the haematoxylin even where histology is served grey ({@link CanonicalInput}).
     */
    RINGS
}
