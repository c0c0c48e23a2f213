package org.nucleispark.postprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

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

    @Test
    void pastedProbabilitiesAndMasksEqualThePythonReference() throws IOException {
        JsonNode cases = fixture("paste.json").get("cases");
        assertEquals(7, cases.size());
        int foreground = 0;
        for (JsonNode c : cases) {
            float[] box = floats(c.get("box"));
            MaskPaster.Pasted p = MaskPaster.paste(floats(c.get("mask")), 28, box[0], box[1], box[2], box[3],
                    c.get("height").asInt(), c.get("width").asInt());
            JsonNode win = c.get("window");
            String where = "box " + c.get("box");
            assertArrayEquals(new int[] {win.get(0).asInt(), win.get(1).asInt(), win.get(2).asInt(), win.get(3).asInt()},
                    new int[] {p.y0(), p.y1(), p.x0(), p.x1()}, where);
            float[] expected = floats(c.get("prob"));
            assertEquals(expected.length, p.prob().length, where);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], p.prob()[i], 1e-5, where + " pixel " + i);
                assertEquals(expected[i] > 0.5f, p.prob()[i] > 0.5f, where + " mask pixel " + i);
                if (expected[i] > 0.5f) foreground++;
            }
        }
        assertTrue(foreground > 100, "the cases exercise the threshold: " + foreground);
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
