package org.nucleispark.image;

import java.io.Serializable;
import java.util.List;

/**
 * The canonical network input: one grey plane with nuclei bright on a dark background, whatever the
 * stain, so that a model sees fluorescence, brightfield and colour histology the same way. The Python
 * training recipe ({@code nucleispark_train/canonical.py}) defines it and writes its constants into
 * {@code model.json}; this class repeats the arithmetic step for step (float64, numpy's linear
 * percentile) and {@code CanonicalInputTest} compares the two on the sample images.
 *
 * <ul>
 *   <li>detect: lo, hi = percentiles of the per-pixel channel mean; chroma = mean(max − min channel)
 *       / (hi − lo); bright = share of pixels whose channel mean exceeds (lo + hi) / 2. Histology if
 *       chroma is above its threshold, else brightfield if bright is above its threshold, else
 *       fluorescence.</li>
 *   <li>grey: the channel mean (fluorescence), its negation (brightfield), or the haematoxylin optical
 *       density by colour deconvolution (Ruifrok &amp; Johnston 2001, scikit-image's stain vectors):
 *       od_c = −log10(max(v_c / full scale, 1e−6)), grey = Σ_c od_c · hed_from_rgb[c][0]; with
 *       {@code dab_above} and {@code dab_gain} (model.json), plus dab_gain · max(0, Σ_c od_c · hed_from_rgb[c][2] −
 *       dab_above) where that DAB forms solid regions ({@link SolidRegions}, {@code dab_solid}, {@code dab_solid_share}):
 *       the brown DAB of nuclear immunohistochemistry, which replaces a positive nucleus' haematoxylin, and not the
 *       rings of membranous IHC (canonical.py says how these were chosen).</li>
 *   <li>with {@code histology_input} "grey" (model.json; absent: "haematoxylin"), the networks see histology as
 *       −mean_c(t_c), t_c = max(v_c / full scale, 1e−6) · 10^(DAB · rgb_from_hed[2][c]) where the DAB above
 *       dab_above forms no solid region (the rings of membranous IHC taken out), else t_c unchanged: the inverted
 *       channel mean, which the shipped networks segment better than the speckled haematoxylin. Except membranous
 *       IHC: an image whose DAB above dab_above covers at least {@code membranous_share} of its pixels and is mostly
 *       rings (less than dab_solid_share of it solid) gets the haematoxylin (its rings' edges stay on the grey
 *       plane). The nuclei are still measured on the haematoxylin plane ({@link #measuringPlane}), whose size
 *       estimate was validated.</li>
 *   <li>normalise: percentiles over the H·W grey values, clip((g − lo) / max(hi − lo, 1e−6), 0, 1),
 *       rounded to float32, replicated to the three planes the network takes.</li>
 * </ul>
 */
public final class CanonicalInput implements Serializable {
    private final double chromaThreshold;
    private final double brightThreshold;
    private final double low;
    private final double high;
    private final double[] hedColumn;
    private final double[] dabColumn;
    private final double dabAbove;
    private final double dabGain;
    private final double dabSolid;
    private final double dabSolidShare;
    private final boolean greyHistology;
    private final double[] dabStain;
    private final double membranousShare;

    /** Haematoxylin alone: a model.json without {@code dab_above}. */
    public CanonicalInput(double chromaThreshold, double brightThreshold, double low, double high, double[] hedColumn) {
        this(chromaThreshold, brightThreshold, low, high, hedColumn, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * @param dabColumn hed_from_rgb[:, 2], the DAB column of the deconvolution (null with {@code dabAbove} NaN)
     * @param dabAbove  DAB optical density added above this (NaN: haematoxylin alone)
     * @param dabGain   times this
     * @param dabSolid  in the regions of DAB above dabAbove whose filled area is less than this times their own
     * @param dabSolidShare and only when those hold at least this share of it ({@link SolidRegions})
     */
    public CanonicalInput(double chromaThreshold, double brightThreshold, double low, double high, double[] hedColumn,
                          double[] dabColumn, double dabAbove, double dabGain, double dabSolid, double dabSolidShare) {
        this(chromaThreshold, brightThreshold, low, high, hedColumn, dabColumn, dabAbove, dabGain, dabSolid, dabSolidShare,
                false, null, Double.NaN);
    }

    /**
     * @param greyHistology histology as the inverted channel mean ({@code histology_input} "grey") instead of the
     *                      haematoxylin
     * @param dabStain      rgb_from_hed[2], the DAB stain's optical density per channel, to take the rings' DAB out of
     *                      the grey plane (needed with greyHistology and dabAbove)
     * @param membranousShare with greyHistology, an image whose rings of DAB cover at least this share of its pixels
     *                      gets the haematoxylin (NaN: never)
     */
    public CanonicalInput(double chromaThreshold, double brightThreshold, double low, double high, double[] hedColumn,
                          double[] dabColumn, double dabAbove, double dabGain, double dabSolid, double dabSolidShare,
                          boolean greyHistology, double[] dabStain, double membranousShare) {
        if (greyHistology && !Double.isNaN(dabAbove) && (dabStain == null || dabStain.length != 3)) {
            throw new IllegalArgumentException("histology_input grey with dab_above needs the 3 values of rgb_from_hed_row2");
        }
        if (hedColumn.length != 3) throw new IllegalArgumentException("the haematoxylin column needs 3 values, got " + hedColumn.length);
        if (!Double.isNaN(dabAbove) && (dabColumn == null || dabColumn.length != 3)) {
            throw new IllegalArgumentException("dab_above needs the 3 values of the DAB column");
        }
        if (!Double.isNaN(dabAbove) && !(dabGain > 0)) {
            throw new IllegalArgumentException("dab_above needs a positive dab_gain, got " + dabGain);
        }
        this.chromaThreshold = chromaThreshold;
        this.brightThreshold = brightThreshold;
        this.low = low;
        this.high = high;
        this.hedColumn = hedColumn.clone();
        this.dabColumn = dabColumn == null ? null : dabColumn.clone();
        this.dabAbove = dabAbove;
        this.dabGain = dabGain;
        this.dabSolid = dabSolid;
        this.dabSolidShare = dabSolidShare;
        this.greyHistology = greyHistology;
        this.dabStain = dabStain == null ? null : dabStain.clone();
        this.membranousShare = membranousShare;
    }

    /** The part of a model version that this transform adds to the one before it: "" without {@code dab_above}. */
    public String settings() {
        String dab = Double.isNaN(dabAbove) ? "" : ",dab=" + dabAbove + "x" + dabGain + ",solid=" + dabSolid + "/" + dabSolidShare;
        if (!greyHistology) return dab;
        return dab + ",histology=grey" + (Double.isNaN(membranousShare) ? "" : ",rings=" + membranousShare);
    }

    /** The modality the image looks like (see the class comment for the rule). */
    public Modality detect(Image image) {
        double[] mean = channelMean(image);
        double[] bounds = Percentiles.ofReordered(mean.clone(), low, high);
        double lo = bounds[0];
        double hi = bounds[1];
        double span = Math.max(hi - lo, 1e-6);
        if (chroma(image) / span > chromaThreshold) return Modality.HISTOLOGY;
        double mid = (lo + hi) / 2.0;
        long bright = 0;
        for (double v : mean) if (v > mid) bright++;
        return (double) bright / mean.length > brightThreshold ? Modality.BRIGHTFIELD : Modality.FLUORESCENCE;
    }

    /** Percentile bounds of the grey plane ({@link #normalise} maps them to 0 and 1). */
    public PercentileNormaliser.Bounds bounds(Image image, Modality modality) {
        return bounds(image, modality, DabGate.EACH_IMAGE);
    }

    /** The same with the DAB added as {@code gate} says (a large image's, decided on its windows). */
    public PercentileNormaliser.Bounds bounds(Image image, Modality modality, DabGate gate) {
        return bounds(grey(image, modality, gate));
    }

    /** Whether this input adds DAB at all (model.json {@code dab_above}). */
    public boolean addsDab() {
        return !Double.isNaN(dabAbove);
    }

    /** Whether an image of this modality has a DAB decision to take ({@link #gate}): histology, with DAB added. */
    public boolean decidesDab(Modality modality) {
        return addsDab() && modality == Modality.HISTOLOGY;
    }

    /**
     * The DAB decision of a whole image from full-resolution windows of it: the share of its DAB pixels in solid
     * regions, pooled over the windows. One window holding the whole image decides as that image does whole; a
     * subsampled read would not do, since every n-th pixel closes a thin membranous ring into a solid blob.
     *
     * @return {@link DabGate#EACH_IMAGE} where there is nothing to decide (no DAB in this input, not histology, no
     *         windows), else {@link DabGate#SOLID_REGIONS}, {@link DabGate#RINGS} (membranous IHC served the
     *         haematoxylin: {@code membranous_share}) or {@link DabGate#NONE}
     */
    public DabGate gate(List<Image> windows, Modality modality) {
        if (!decidesDab(modality) || windows.isEmpty()) return DabGate.EACH_IMAGE;
        long dab = 0, solid = 0, pixels = 0;
        for (Image w : windows) {
            boolean[] above = new boolean[(int) w.pixelCount()];
            opticalDensities(w, null, above);
            dab += SolidRegions.count(above);
            solid += SolidRegions.count(SolidRegions.solid(above, w.width(), w.height(), dabSolid));
            pixels += above.length;
        }
        if (dab > 0 && solid >= dabSolidShare * dab) return DabGate.SOLID_REGIONS;
        return membranous(dab, solid, pixels) ? DabGate.RINGS : DabGate.NONE;
    }

    /** Membranous IHC served grey: rings of DAB (too little of it solid) over at least membranous_share of the pixels. */
    private boolean membranous(long dab, long solid, long pixels) {
        return greyHistology && !Double.isNaN(membranousShare) && dab >= membranousShare * pixels && solid < dabSolidShare * dab;
    }

    /** Whether the nuclei of an image of this modality are measured on the network's own input plane. */
    public boolean measuresInput(Modality modality) {
        return !(greyHistology && modality == Modality.HISTOLOGY);
    }

    /**
     * A whole image as served: the network's three input planes and the plane its nuclei are measured on
     * ({@code NucleusDiameter}), each scaled by its own bounds; {@code measuring} is {@code input[0]} unless histology
     * is served grey, then the haematoxylin plane, both from one deconvolution of the image.
     */
    public record Served(float[][] input, float[] measuring) {}

    /** {@link Served} for a whole, untiled image (modality null: detected). */
    public Served serve(Image image, Modality modality) {
        Modality m = modality == null ? detect(image) : modality;
        if (measuresInput(m)) {
            float[][] input = normalise(image, m);
            return new Served(input, input[0]);
        }
        Deconvolved d = new Deconvolved(image, DabGate.EACH_IMAGE);
        double[] haematoxylin = haematoxylin(d);
        float[][] measured = scale(haematoxylin, bounds(haematoxylin));
        if (d.rings) return new Served(measured, measured[0]);
        double[] grey = ringFreeGrey(image, d);
        return new Served(scale(grey, bounds(grey)), measured[0]);
    }

    /** The measuring plane's bounds over a large image's sample: {@code inputBounds} unless histology is served grey. */
    public PercentileNormaliser.Bounds measuringBounds(Image sample, Modality modality, DabGate gate,
                                                       PercentileNormaliser.Bounds inputBounds) {
        return measuresInput(modality) ? inputBounds : bounds(haematoxylin(new Deconvolved(sample, gate)));
    }

    /** A window's measuring plane with the whole image's {@link #measuringBounds} and DAB decision. */
    public float[] measuringPlane(Image window, Modality modality, PercentileNormaliser.Bounds bounds, DabGate gate) {
        return scale(measuresInput(modality) ? grey(window, modality, gate) : haematoxylin(new Deconvolved(window, gate)), bounds)[0];
    }

    private PercentileNormaliser.Bounds bounds(double[] grey) {
        double[] b = Percentiles.ofReordered(grey.clone(), low, high);
        return new PercentileNormaliser.Bounds(b[0], b[1]);
    }

    /** The three (identical) network input planes, scaled with the given bounds. */
    public float[][] normalise(Image image, Modality modality, PercentileNormaliser.Bounds bounds) {
        return normalise(image, modality, bounds, DabGate.EACH_IMAGE);
    }

    /** The same with the DAB added as {@code gate} says: a block of a large image, with the whole image's decision. */
    public float[][] normalise(Image image, Modality modality, PercentileNormaliser.Bounds bounds, DabGate gate) {
        return scale(grey(image, modality, gate), bounds);
    }

    private static float[][] scale(double[] grey, PercentileNormaliser.Bounds bounds) {
        double lo = bounds.low();
        double range = Math.max(bounds.high() - lo, 1e-6);
        float[] out = new float[grey.length];
        for (int i = 0; i < grey.length; i++) {
            double v = (grey[i] - lo) / range;
            out[i] = (float) (v < 0 ? 0 : (v > 1 ? 1 : v));
        }
        return new float[][] {out, out.clone(), out.clone()};
    }

    /** Detect, bound and scale in one step: what a whole, untiled image takes. */
    public float[][] normalise(Image image, Modality modality) {
        double[] grey = grey(image, modality == null ? detect(image) : modality, DabGate.EACH_IMAGE);  // once: bounds and scaling share it
        return scale(grey, bounds(grey));
    }

    /** (H·W) grey values with nuclei bright, float64 as in Python; the DAB decided on this image. */
    double[] grey(Image image, Modality modality) {
        return grey(image, modality, DabGate.EACH_IMAGE);
    }

    private double[] grey(Image image, Modality modality, DabGate gate) {
        int n = (int) image.pixelCount();
        double[] g = new double[n];
        switch (modality) {
            case FLUORESCENCE -> {
                double[] mean = channelMean(image);
                System.arraycopy(mean, 0, g, 0, n);
            }
            case BRIGHTFIELD -> {
                double[] mean = channelMean(image);
                for (int i = 0; i < n; i++) g[i] = -mean[i];
            }
            case HISTOLOGY -> {
                Deconvolved d = new Deconvolved(image, gate);
                return greyHistology && !d.rings ? ringFreeGrey(image, d) : haematoxylin(d);
            }
        }
        return g;
    }

    /**
     * One colour deconvolution of an image and its DAB decision, as {@code gate} says or (EACH_IMAGE) decided on the
     * image itself: the haematoxylin optical density; with dab_above, the DAB optical density, where it exceeds
     * dab_above, the solid regions of it that count (none where the decision says none), and whether the image is
     * membranous IHC served the haematoxylin ({@code rings}).
     */
    private final class Deconvolved {
        final double[] haematoxylin;
        final double[] dab;
        final boolean[] above;
        final boolean[] solid;
        final boolean rings;

        Deconvolved(Image image, DabGate gate) {
            int n = (int) image.pixelCount();
            haematoxylin = new double[n];
            above = addsDab() ? new boolean[n] : null;
            dab = opticalDensities(image, haematoxylin, above);
            if (!addsDab() || gate == DabGate.NONE || gate == DabGate.RINGS) {
                solid = above == null ? null : new boolean[n];
                rings = gate == DabGate.RINGS;
                return;
            }
            boolean[] s = SolidRegions.solid(above, image.width(), image.height(), dabSolid);
            if (gate == DabGate.SOLID_REGIONS) {
                solid = s;
                rings = false;
                return;
            }
            long dabPixels = SolidRegions.count(above);
            rings = membranous(dabPixels, SolidRegions.count(s), n);
            solid = SolidRegions.ifShare(s, dabPixels, dabSolidShare);
        }
    }

    /** The haematoxylin plane, with the solid DAB added (the class comment's histology). */
    private double[] haematoxylin(Deconvolved d) {
        double[] g = d.haematoxylin.clone();
        if (d.solid != null) for (int i = 0; i < g.length; i++) if (d.solid[i]) g[i] += dabGain * (d.dab[i] - dabAbove);
        return g;
    }

    /**
     * −mean_c(t_c), the transmittance t_c = max(v_c / full scale, 1e−6) with the DAB of the regions above dab_above
     * that do not count as solid taken out (t_c · 10^(DAB · rgb_from_hed[2][c])): canonical.histology_grey. A gate of
     * {@link DabGate#NONE} (an image of rings) takes out all of it.
     */
    private double[] ringFreeGrey(Image image, Deconvolved d) {
        int n = (int) image.pixelCount();
        double scale = image.bitDepth() > 8 ? 65535.0 : 255.0;
        float[][] p = rgb(image);
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            boolean ring = d.above != null && d.above[i] && !d.solid[i];
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                double t = Math.max(p[c][i] / scale, 1e-6);
                if (ring) t *= Math.pow(10.0, d.dab[i] * dabStain[c]);
                sum += t;
            }
            g[i] = -(sum / 3.0);
        }
        return g;
    }

    /**
     * Colour deconvolution in one pass: the haematoxylin optical density into {@code haematoxylin} (when not null)
     * and, when {@code above} is not null, the DAB optical density (returned) and where it exceeds
     * {@code dab_above}. od_c = −log10(max(v_c / full scale, 1e-6)), summed over c in channel order as numpy does.
     */
    private double[] opticalDensities(Image image, double[] haematoxylin, boolean[] above) {
        double scale = image.bitDepth() > 8 ? 65535.0 : 255.0;
        float[][] p = rgb(image);
        double ln10 = Math.log(10.0);
        int n = p[0].length;
        double[] d = above != null ? new double[n] : null;
        for (int i = 0; i < n; i++) {
            double s = 0, di = 0;
            for (int c = 0; c < 3; c++) {
                double od = -Math.log(Math.max(p[c][i] / scale, 1e-6)) / ln10;
                s += od * hedColumn[c];
                if (d != null) di += od * dabColumn[c];
            }
            if (haematoxylin != null) haematoxylin[i] = s;
            if (d != null) {
                d[i] = di;
                above[i] = di > dabAbove;
            }
        }
        return d;
    }

    /** Sum of the per-pixel channel range (max − min), for the chroma test. */
    private static double chroma(Image image) {
        float[][] p = rgb(image);
        int n = p[0].length;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float a = p[0][i], b = p[1][i], c = p[2][i];
            sum += Math.max(a, Math.max(b, c)) - Math.min(a, Math.min(b, c));
        }
        return sum / n;
    }

    /** Mean of the three planes per pixel in float64, summed in channel order as numpy does. */
    private static double[] channelMean(Image image) {
        float[][] p = rgb(image);
        int n = p[0].length;
        double[] m = new double[n];
        for (int i = 0; i < n; i++) m[i] = ((double) p[0][i] + (double) p[1][i] + (double) p[2][i]) / 3.0;
        return m;
    }

    /** Three planes: grey replicated, alpha (a fourth plane) dropped, grey + alpha taken as grey. */
    private static float[][] rgb(Image image) {
        int ch = image.channels();
        if (ch >= 3) return new float[][] {image.plane(0), image.plane(1), image.plane(2)};
        return new float[][] {image.plane(0), image.plane(0), image.plane(0)};
    }

}
