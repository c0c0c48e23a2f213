package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.CanonicalInput;
import org.nucleispark.image.Image;
import org.nucleispark.image.Modality;
import org.nucleispark.image.PercentileNormaliser;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.model.ModelMetadata;

/**
 * Java's canonical input against Python's: src/test/resources/canonical/canonical_reference.json is what
 * nucleispark_train/canonical.py makes of each sample image (and tests/test_canonical.py checks that it
 * still does), so a drift on either side fails one of the two.
 */
class CanonicalInputTest {
    private static final Path REFERENCE = Path.of("src/test/resources/canonical/canonical_reference.json");
    static final Path IHC = Path.of("src/test/resources/canonical/ihc-1631352d.png");
    static final Path IHC_MEMBRANE = Path.of("src/test/resources/canonical/ihc-membrane-1631352d.png");

    static Image decode(Path png) throws Exception {
        return new ImageDecoder().decode(png.getFileName().toString(), Files.readAllBytes(png)).frames().get(0).image();
    }

    /** The canonical input of a model.json whose block lacks dab_above and histology_input: the haematoxylin alone. */
    static CanonicalInput haematoxylinAlone() throws Exception {
        return without("dab_above", "histology_input");
    }

    /** The canonical input of a model.json written before histology_input: the networks see the haematoxylin. */
    static CanonicalInput haematoxylinInput() throws Exception {
        return without("histology_input");
    }

    /** Histology served grey, membranous IHC too (a model.json without membranous_share). */
    static CanonicalInput greyForEveryStain() throws Exception {
        return without("membranous_share");
    }

    private static CanonicalInput without(String... keys) throws Exception {
        JsonNode norm = reference().get("normalisation").deepCopy();
        for (String key : keys) ((com.fasterxml.jackson.databind.node.ObjectNode) norm).remove(key);
        String json = "{\"name\":\"unet\",\"file\":\"model.pt\",\"sha256\":\"00\",\"input_channels\":3,"
                + "\"output_channels\":2,\"size_multiple\":16,\"tile_size\":256,\"normalisation\":" + norm + "}";
        return ModelMetadata.parse(json, "test").canonical();
    }

    /**
     * Membranous IHC (the same image with a DAB ring around half of its nuclei): the rings are not solid, so the
     * plane the nuclei are measured on (and that models before histology_input see) is the haematoxylin alone, bit
     * for bit; adding them made rings of nuclei (held-out: 0.247 -> 0.061).
     */
    @Test
    void theRingsOfMembranousImmunohistochemistryAreNotAdded() throws Exception {
        Image ihc = decode(IHC_MEMBRANE);
        assertSame(Modality.HISTOLOGY, canonical().detect(ihc));
        float[] alone = haematoxylinAlone().normalise(ihc, Modality.HISTOLOGY)[0];
        assertArrayEquals(alone, haematoxylinInput().normalise(ihc, Modality.HISTOLOGY)[0]);
        CanonicalInput served = canonical();
        assertArrayEquals(alone, served.serve(ihc, Modality.HISTOLOGY).measuring());
        // membranous IHC (its rings over 1 % of the pixels): the networks see the haematoxylin, not the grey plane
        assertArrayEquals(alone, served.normalise(ihc, Modality.HISTOLOGY)[0]);
    }

    /**
     * The grey plane the networks see of histology takes the rings' DAB out: on the plain inverted channel mean (what
     * brightfield gets) the brown rings are as dark as nuclei and became nuclei (held-out membranous IHC, U-Net one
     * view: 0.0677 against 0.2666 with them taken out); taken out, they sit at the tissue's level, far below the
     * nuclei. (Served, an image with this many rings gets the haematoxylin instead: membranous_share.)
     */
    @Test
    void theGreyHistologyInputTakesTheRingsOut() throws Exception {
        Image ihc = decode(IHC_MEMBRANE);
        CanonicalInput served = greyForEveryStain();
        assertEquals(",dab=0.25x2.0,solid=1.5/0.5,histology=grey,rings=0.01", canonical().settings());
        assertEquals(",dab=0.25x2.0,solid=1.5/0.5,histology=grey", served.settings());
        assertEquals(",dab=0.25x2.0,solid=1.5/0.5", haematoxylinInput().settings());
        assertTrue(served.measuresInput(Modality.FLUORESCENCE) && !served.measuresInput(Modality.HISTOLOGY));
        // membranous_share null (the shipped Mask R-CNN's, which scores membranous IHC better grey): never switched
        com.fasterxml.jackson.databind.node.ObjectNode norm = (com.fasterxml.jackson.databind.node.ObjectNode) reference().get("normalisation").deepCopy();
        norm.putNull("membranous_share");
        CanonicalInput nullShare = ModelMetadata.parse("{\"name\":\"maskrcnn\",\"file\":\"model.pt\",\"sha256\":\"00\",\"input_channels\":3,"
                + "\"output_channels\":2,\"size_multiple\":16,\"tile_size\":256,\"normalisation\":" + norm + "}", "test").canonical();
        assertEquals(served.settings(), nullShare.settings());
        assertArrayEquals(served.normalise(ihc, Modality.HISTOLOGY)[0], nullShare.normalise(ihc, Modality.HISTOLOGY)[0]);
        float[] grey = served.normalise(ihc, Modality.HISTOLOGY)[0], inverted = served.normalise(ihc, Modality.BRIGHTFIELD)[0];
        // brown: DAB absorbs blue most; blue: haematoxylin, the nuclei
        double[] rings = meanOver(ihc, true, grey, inverted), nuclei = meanOver(ihc, false, grey, inverted);
        double ringServed = rings[0], ringInverted = rings[1], nucleusServed = nuclei[0], nucleusInverted = nuclei[1];
        System.out.printf("membranous IHC: rings %.3f served, %.3f inverted mean; nuclei %.3f served, %.3f inverted%n",
                ringServed, ringInverted, nucleusServed, nucleusInverted);
        assertTrue(ringInverted > 0.8 * nucleusInverted, "on the plain inverted mean the rings look like nuclei");
        assertTrue(ringServed < 0.6 * nucleusServed, "served, they do not: " + ringServed + " vs " + nucleusServed);
    }

    private static JsonNode reference() throws Exception {
        return new ObjectMapper().readTree(Files.readString(REFERENCE));
    }

    /** The constants canonical.py writes into model.json (metadata()), parsed as serving parses a model.json. */
    static CanonicalInput canonical() throws Exception {
        String json = "{\"name\":\"unet\",\"file\":\"model.pt\",\"sha256\":\"00\",\"input_channels\":3,"
                + "\"output_channels\":2,\"size_multiple\":16,\"tile_size\":256,\"normalisation\":"
                + reference().get("normalisation") + "}";
        return ModelMetadata.parse(json, "test").canonical();
    }

    @Test
    void everySampleImageGetsPythonsModalityBoundsAndValues() throws Exception {
        CanonicalInput canonical = canonical();
        JsonNode ref = reference().get("images");
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = ref.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode r = e.getValue();
            Image image = e.getKey().startsWith("ihc-") ? decode(REFERENCE.resolveSibling(e.getKey())) : SampleImages.image(e.getKey());
            Modality m = canonical.detect(image);
            assertEquals(r.get("modality").asText(), m.key(), e.getKey());
            PercentileNormaliser.Bounds b = canonical.bounds(image, m);
            assertEquals(r.get("low").asDouble(), b.low(), 1e-9, e.getKey());
            assertEquals(r.get("high").asDouble(), b.high(), 1e-9, e.getKey());
            float[][] x = canonical.normalise(image, null);
            assertArrayEquals(x[0], x[2]);
            assertPlane(r, r.get("probe_index"), x[0], e.getKey());
            // the plane the nuclei are measured on: the haematoxylin one for histology, the input's otherwise
            JsonNode measuring = r.get("measuring");
            PercentileNormaliser.Bounds mb = canonical.measuringBounds(image, m, org.nucleispark.image.DabGate.EACH_IMAGE, b);
            assertEquals(measuring.get("low").asDouble(), mb.low(), 1e-9, e.getKey());
            assertEquals(measuring.get("high").asDouble(), mb.high(), 1e-9, e.getKey());
            CanonicalInput.Served both = canonical.serve(image, null);
            assertArrayEquals(x[0], both.input()[0]);
            float[] plane = both.measuring();
            assertPlane(measuring, r.get("probe_index"), plane, e.getKey() + " measuring");
            assertArrayEquals(plane, canonical.measuringPlane(image, m, mb, org.nucleispark.image.DabGate.EACH_IMAGE), 1e-6f);
            checked++;
        }
        assertEquals(SampleImages.ids().size() + 2, checked, "the sample images and the two IHC ones");
    }

    /** Each plane's mean over the brown pixels (red above blue by 40) or the blue ones, at least 500 of them. */
    private static double[] meanOver(Image image, boolean brown, float[]... planes) {
        float[] r = image.plane(0), b = image.plane(2);
        double[] sums = new double[planes.length];
        int n = 0;
        for (int i = 0; i < r.length; i++) {
            if ((brown ? r[i] - b[i] : b[i] - r[i]) > 40) {
                for (int k = 0; k < planes.length; k++) sums[k] += planes[k][i];
                n++;
            }
        }
        assertTrue(n > 500, n + (brown ? " brown" : " blue") + " pixels");
        for (int k = 0; k < planes.length; k++) sums[k] /= n;
        return sums;
    }

    private static void assertPlane(JsonNode r, JsonNode index, float[] plane, String what) {
        double sum = 0;
        for (float v : plane) sum += v;
        assertEquals(r.get("sum").asDouble(), sum, 1e-3, what);
        assertEquals(index.size(), r.get("probe_value").size());
        for (int k = 0; k < index.size(); k++) {
            int i = index.get(k).asInt();
            assertEquals(r.get("probe_value").get(k).floatValue(), plane[i], 1e-6f, what + " at " + i);
        }
    }

    /**
     * Nuclear IHC (the sample H&E image restained: eosin mostly gone, half of the nuclei brown with DAB,
     * held_out_sets.ihc_stained): on the haematoxylin plane alone the brown nuclei sink to the background; with the
     * DAB above dab_above added (the plane they are measured on) they are as bright as the blue ones, and so they are
     * on the grey plane the networks see. model.json without dab_above keeps the plane of models exported before it.
     */
    @Test
    void brownNucleiOfImmunohistochemistryStayBright() throws Exception {
        Image ihc = decode(IHC);
        CanonicalInput served = canonical();
        CanonicalInput haematoxylin = haematoxylinAlone();
        assertEquals("", haematoxylin.settings());
        assertSame(Modality.HISTOLOGY, served.detect(ihc));

        float[] grey = served.normalise(ihc, Modality.HISTOLOGY)[0];
        float[] withDab = served.serve(ihc, Modality.HISTOLOGY).measuring();
        float[] alone = haematoxylin.normalise(ihc, Modality.HISTOLOGY)[0];
        // the brown nuclei: pixels far redder than blue (DAB absorbs blue most), the blue ones the opposite
        double[] brown = meanOver(ihc, true, withDab, alone, grey), blue = meanOver(ihc, false, withDab, grey);
        double brownMeasured = brown[0], brownAlone = brown[1], brownGrey = brown[2], blueMeasured = blue[0], blueGrey = blue[1];
        System.out.printf("IHC: brown nuclei %.3f with DAB, %.3f on haematoxylin alone, %.3f grey; blue nuclei %.3f with DAB, %.3f grey%n",
                brownMeasured, brownAlone, brownGrey, blueMeasured, blueGrey);
        // measured: brown 0.339 with DAB, 0.076 alone; blue 0.223
        assertTrue(brownAlone < 0.15, "on haematoxylin alone brown nuclei are dim: " + brownAlone);
        assertTrue(brownMeasured > 3 * brownAlone && brownMeasured > blueMeasured, "with the DAB, they are nuclei: " + brownMeasured + " vs " + blueMeasured);
        assertTrue(brownGrey > 3 * brownAlone && brownGrey > 0.8 * blueGrey, "grey, they are nuclei: " + brownGrey + " vs " + blueGrey);
    }

    @Test
    void theSampleSetCoversEveryModality() throws Exception {
        CanonicalInput canonical = canonical();
        java.util.Set<Modality> seen = java.util.EnumSet.noneOf(Modality.class);
        for (String id : SampleImages.ids()) seen.add(canonical.detect(SampleImages.image(id)));
        assertEquals(java.util.EnumSet.allOf(Modality.class), seen);
    }

    @Test
    void brightfieldIsInvertedAndSixteenBitHistologyUsesItsFullScale() throws Exception {
        CanonicalInput canonical = canonical();
        float[] p = new float[400];
        java.util.Arrays.fill(p, 220f);
        for (int y = 5; y < 10; y++) for (int x = 5; x < 10; x++) p[y * 20 + x] = 40f;
        Image bf = new Image(20, 20, new float[][] {p}, 8);
        assertSame(Modality.BRIGHTFIELD, canonical.detect(bf));
        float[][] x = canonical.normalise(bf, null);
        assertEquals(1f, x[0][7 * 20 + 7]);
        assertEquals(0f, x[0][0]);

        // The same pink/purple image at 8 and 16 bits gives the same haematoxylin input.
        float[][] rgb8 = new float[3][400], rgb16 = new float[3][400];
        float[] pink = {235, 160, 200}, purple = {90, 50, 150};
        for (int i = 0; i < 400; i++) {
            boolean nucleus = (i / 20) >= 5 && (i / 20) < 10 && (i % 20) >= 5 && (i % 20) < 10;
            for (int c = 0; c < 3; c++) {
                rgb8[c][i] = nucleus ? purple[c] : pink[c];
                rgb16[c][i] = rgb8[c][i] * 257f;
            }
        }
        Image he8 = new Image(20, 20, rgb8, 8), he16 = new Image(20, 20, rgb16, 16);
        assertSame(Modality.HISTOLOGY, canonical.detect(he8));
        assertSame(Modality.HISTOLOGY, canonical.detect(he16));
        float[][] a = canonical.normalise(he8, null), b = canonical.normalise(he16, null);
        assertTrue(a[0][7 * 20 + 7] > 0.9f && a[0][0] < 0.1f);
        assertArrayEquals(a[0], b[0], 1e-4f);
    }

    @Test
    void modalityNamesParseAndAutoMeansDetect() {
        assertEquals(null, Modality.parseOrAuto("auto"));
        assertSame(Modality.HISTOLOGY, Modality.parseOrAuto("Histology"));
        assertThrows(IllegalArgumentException.class, () -> Modality.parseOrAuto("phase"));
    }
}
