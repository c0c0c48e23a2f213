package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nucleispark.image.CanonicalInput;
import org.nucleispark.image.DabGate;
import org.nucleispark.image.Image;
import org.nucleispark.image.Modality;
import org.nucleispark.image.PercentileNormaliser;
import org.nucleispark.model.ModelFiles;

/**
 * The DAB of immunohistochemistry is decided once per large image ({@link DabGate}): the membranous-IHC sample
 * (a DAB ring around half of the nuclei of H&E 1631352d) is haematoxylin alone whole, and must stay so in every
 * block. Until 2026-12-08 each block decided for itself, and blocks whose rings the cut had broken into arcs passed
 * the share test alone and added them as nuclei.
 */
class DabGateBlocksTest {
    private static final int BLOCK = 64;

    private static float[] crop(float[] plane, int width, int x, int y, int w, int h) {
        float[] out = new float[w * h];
        for (int r = 0; r < h; r++) System.arraycopy(plane, (y + r) * width + x, out, r * w, w);
        return out;
    }

    @Test
    void theWholeImageDecidesAndEveryBlockFollows() throws Exception {
        CanonicalInput canonical = CanonicalInputTest.canonical();
        Image membrane = CanonicalInputTest.decode(CanonicalInputTest.IHC_MEMBRANE);
        Image nuclear = CanonicalInputTest.decode(CanonicalInputTest.IHC);
        assertEquals(DabGate.RINGS, canonical.gate(List.of(membrane), Modality.HISTOLOGY), "rings: haematoxylin alone, also to the network");
        assertEquals(DabGate.NONE, CanonicalInputTest.greyForEveryStain().gate(List.of(membrane), Modality.HISTOLOGY),
                "rings, served grey without membranous_share: no DAB added");
        assertEquals(DabGate.NONE, CanonicalInputTest.haematoxylinInput().gate(List.of(membrane), Modality.HISTOLOGY));
        assertEquals(DabGate.SOLID_REGIONS, canonical.gate(List.of(nuclear), Modality.HISTOLOGY), "brown nuclei: added");
        assertEquals(DabGate.EACH_IMAGE, canonical.gate(List.of(), Modality.HISTOLOGY), "no windows: nothing decided");
        assertEquals(DabGate.EACH_IMAGE, canonical.gate(List.of(membrane), Modality.BRIGHTFIELD));
        assertEquals(DabGate.EACH_IMAGE, CanonicalInputTest.haematoxylinAlone().gate(List.of(nuclear), Modality.HISTOLOGY));

        int w = membrane.width(), h = membrane.height();
        PercentileNormaliser.Bounds bounds = canonical.bounds(membrane, Modality.HISTOLOGY);
        float[] whole = canonical.normalise(membrane, Modality.HISTOLOGY, bounds)[0];
        InMemoryRegions regions = new InMemoryRegions(membrane);
        int blocks = 0, ownDecisionDiffers = 0;
        for (int y = 0; y < h; y += BLOCK) {
            for (int x = 0; x < w; x += BLOCK) {
                int bw = Math.min(BLOCK, w - x), bh = Math.min(BLOCK, h - y);
                Image block = regions.read(x, y, bw, bh);
                float[] expected = crop(whole, w, x, y, bw, bh);
                assertArrayEquals(expected, canonical.normalise(block, Modality.HISTOLOGY, bounds, DabGate.RINGS)[0],
                        "block at " + x + "," + y);
                float[] own = canonical.normalise(block, Modality.HISTOLOGY, bounds, DabGate.EACH_IMAGE)[0];
                if (!java.util.Arrays.equals(expected, own)) ownDecisionDiffers++;
                blocks++;
            }
        }
        System.out.printf("membranous IHC in %d blocks of %d px: %d would add their DAB deciding alone%n", blocks, BLOCK,
                ownDecisionDiffers);
        assertTrue(ownDecisionDiffers > 0, "some block passes the share test alone, which is why the image decides");
    }

    /**
     * The same through the block path: the statistics carry the whole image's decision. With the shipped U-Net
     * (membranous_share null: membranous IHC served grey like any histology) and with a copy of it whose model.json
     * asks for the switch (membranous_share 0.01, as shipped until the U-Net was trained on the grey plane).
     */
    @Test
    void theBlockPathDecidesOnTheImagesWindows(@TempDir Path tmp) throws Exception {
        assertBlocksFollowTheImage("models", DabGate.NONE);
        Path copy = Files.createDirectories(tmp.resolve("unet"));
        for (String f : List.of("model.pt", "model.onnx")) {
            if (Files.exists(Path.of("models/unet", f))) Files.copy(Path.of("models/unet", f), copy.resolve(f));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode meta = (ObjectNode) json.readTree(Path.of("models/unet/model.json").toFile());
        ((ObjectNode) meta.get("normalisation")).put("membranous_share", 0.01);
        json.writeValue(copy.resolve("model.json").toFile(), meta);
        assertBlocksFollowTheImage(tmp.toString(), DabGate.RINGS);
    }

    private static void assertBlocksFollowTheImage(String modelsDir, DabGate membranous) throws Exception {
        try (UNetSegmenter unet = new UNetSegmenter(ModelFiles.resolve(modelsDir, "unet", new Configuration()),
                new UNetOptions(false, Double.NaN, Double.NaN, 4, null, 40))) {
            for (var c : List.of(new Object[] {CanonicalInputTest.IHC_MEMBRANE, membranous},
                    new Object[] {CanonicalInputTest.IHC, DabGate.SOLID_REGIONS})) {
                Image image = CanonicalInputTest.decode((java.nio.file.Path) c[0]);
                assertTrue(unet.readsWindows(image), "a given nucleus size still reads windows for the DAB");
                BlockSegmenter.Result r = new BlockSegmenter(unet, new BlockOptions(1, 128, 32, image.pixelCount()))
                        .segment(new InMemoryRegions(image));
                assertTrue(r.blocks() > 1);
                assertEquals(Modality.HISTOLOGY, r.statistics().modality());
                assertEquals(c[1], r.statistics().dabGate(), modelsDir + ": " + c[0]);
                assertEquals(r.statistics(), unet.statistics(image, List.of(image)), "the same as the image taken whole");
            }
        }
    }
}
