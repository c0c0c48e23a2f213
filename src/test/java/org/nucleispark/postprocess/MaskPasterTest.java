package org.nucleispark.postprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The paste against the Python reference ({@code maskrcnn.paste_mask}, i.e. torchvision's
 * paste_masks_in_image), on hand-made boxes: inside, clipped at each corner, sub-pixel, upscaled,
 * thin. Fixture written by src/test/resources/maskrcnn/make_reference.py.
 */
class MaskPasterTest {
    static JsonNode fixture(String name) throws IOException {
        try (InputStream in = MaskPasterTest.class.getResourceAsStream("/maskrcnn/" + name)) {
            return new ObjectMapper().readTree(in);
        }
    }

    static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) a.get(i).asDouble();
        return out;
    }

    @ParameterizedTest
    @EnumSource(MaskPaster.Method.class)
    void pastedProbabilitiesAndMasksEqualThePythonReference(MaskPaster.Method method) throws IOException {
        JsonNode cases = fixture("paste.json").get("cases");
        assertEquals(7, cases.size());
        int foreground = 0;
        for (JsonNode c : cases) {
            float[] box = floats(c.get("box"));
            MaskPaster.Pasted p = method.paste(floats(c.get("mask")), 28, box[0], box[1], box[2], box[3],
                    c.get("height").asInt(), c.get("width").asInt());
            JsonNode ref = c.get(method.key());
            JsonNode win = ref.get("window");
            String where = method + " box " + c.get("box");
            assertArrayEquals(new int[] {win.get(0).asInt(), win.get(1).asInt(), win.get(2).asInt(), win.get(3).asInt()},
                    new int[] {p.y0(), p.y1(), p.x0(), p.x1()}, where);
            float[] expected = floats(ref.get("prob"));
            assertEquals(expected.length, p.prob().length, where);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], p.prob()[i], 1e-5, where + " pixel " + i);
                assertEquals(expected[i] > 0.5f, p.prob()[i] > 0.5f, where + " mask pixel " + i);
                if (expected[i] > 0.5f) foreground++;
            }
        }
        assertTrue(foreground > 100, "the cases exercise the threshold: " + foreground);
    }

    /**
     * The geometry of each method, on a box of pixels 10..19 (x1 = 10, x2 = 20) and a mask of ones:
     * torchvision's paste covers 9..20, a pixel too many on each side; pixel_centres exactly the
     * box; roi_align 11..19, since pixel 10 reads half a cell before the first cell, halfway to the
     * zero padding (0.5, not above the threshold). Learned masks fade at their edges, and on them
     * roi_align scored best out of fold (sweep_maskrcnn, fold 0: 0.463 vs 0.443 and 0.426).
     */
    @Test
    void aMaskOfOnesShowsWhereEachMethodPutsTheBoxEdges() {
        float[] full = new float[28 * 28];
        java.util.Arrays.fill(full, 1f);
        assertEquals(12 * 12, foreground(MaskPaster.Method.TORCHVISION.paste(full, 28, 10, 10, 20, 20, 40, 40)));
        assertEquals(10 * 10, foreground(MaskPaster.Method.PIXEL_CENTRES.paste(full, 28, 10, 10, 20, 20, 40, 40)));
        MaskPaster.Pasted roi = MaskPaster.Method.ROI_ALIGN.paste(full, 28, 10, 10, 20, 20, 40, 40);
        assertEquals(9 * 9, foreground(roi));
        assertEquals(0.5f, roi.prob()[(10 - roi.y0()) * roi.width() + 15 - roi.x0()], 1e-6);
        assertEquals(MaskPaster.Method.TORCHVISION, MaskPaster.Method.of(""), "model.json without postprocess.paste");
        assertEquals(MaskPaster.Method.ROI_ALIGN, MaskPaster.Method.of("roi_align"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> MaskPaster.Method.of("nearest"));
    }

    private static int foreground(MaskPaster.Pasted p) {
        int n = 0;
        for (float v : p.prob()) if (v > 0.5f) n++;
        return n;
    }

    @Test
    void resizeToTheSameSizeIsTheIdentityAndUpscalingKeepsCorners() {
        float[] src = {0f, 1f, 2f, 3f};
        assertArrayEquals(src, MaskPaster.resizeBilinear(src, 2, 2, 2, 2));
        float[] up = MaskPaster.resizeBilinear(src, 2, 2, 4, 4);
        // align_corners=False: output corners sit a quarter pixel inside, clamped to the input corners
        assertEquals(0f, up[0], 1e-7);
        assertEquals(3f, up[15], 1e-7);
        assertEquals(0.25f, up[1], 1e-7);
    }
}
