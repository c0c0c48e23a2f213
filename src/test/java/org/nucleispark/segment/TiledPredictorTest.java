package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TiledPredictorTest {
    /** A per-pixel "network": out0 = 2·in0 + in2, out1 = in1. Any mix-up of tiles, flips or crops shows. */
    private static final class PixelModel implements TiledPredictor.BatchModel {
        final List<int[]> calls = new ArrayList<>();
        final List<float[]> inputs = new ArrayList<>();

        @Override
        public float[] run(float[] input, int n, int c, int h, int w) {
            calls.add(new int[] {n, c, h, w});
            inputs.add(input.clone());
            int plane = h * w;
            float[] out = new float[n * 2 * plane];
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < plane; i++) {
                    float in0 = input[(b * c) * plane + i];
                    float in1 = input[(b * c + 1) * plane + i];
                    float in2 = input[(b * c + 2) * plane + i];
                    out[(b * 2) * plane + i] = 2 * in0 + in2;
                    out[(b * 2 + 1) * plane + i] = in1;
                }
            }
            return out;
        }
    }

    private static float[][] randomPlanes(int w, int h, long seed) {
        Random r = new Random(seed);
        float[][] p = new float[3][w * h];
        for (float[] q : p) for (int i = 0; i < q.length; i++) q[i] = r.nextFloat();
        return p;
    }

    private static void assertPixelModelOutput(float[][] in, float[][] out) {
        for (int i = 0; i < in[0].length; i++) {
            assertEquals(2 * in[0][i] + in[2][i], out[0][i], 1e-5, "pixel " + i);
            assertEquals(in[1][i], out[1][i], 1e-5, "pixel " + i);
        }
    }

    @Test
    void largeImageTiledWithOverlapAndFlipsReproducesAPerPixelModelExactly() {
        int w = 100, h = 70;
        float[][] in = randomPlanes(w, h, 1);
        PixelModel m = new PixelModel();
        float[][] out = new TiledPredictor(m, 2, 32, 8, 16, true, 8).predict(in, w, h);
        assertPixelModelOutput(in, out);
        for (int[] call : m.calls) {
            assertEquals(32, call[2]);
            assertEquals(32, call[3]);
            assertTrue(call[0] <= 8, "batch bounded");
        }
    }

    @Test
    void smallImageIsPaddedToTheMultipleNotResized() {
        int w = 37, h = 21;
        float[][] in = randomPlanes(w, h, 2);
        PixelModel m = new PixelModel();
        float[][] out = new TiledPredictor(m, 2, 256, 32, 16, false, 4).predict(in, w, h);
        assertPixelModelOutput(in, out);
        assertEquals(1, m.calls.size());
        assertArrayEquals(new int[] {1, 3, 32, 48}, m.calls.get(0));
    }

    @Test
    void imageWithinThePassBudgetRunsInOneWholeImagePassFlipsIncluded() {
        int w = 100, h = 70; // padded 112 x 80 = 8960 px, x4 flips = 35840
        float[][] in = randomPlanes(w, h, 3);
        PixelModel m = new PixelModel();
        float[][] out = new TiledPredictor(m, 2, 32, 8, 16, true, 8, 35840).predict(in, w, h);
        assertPixelModelOutput(in, out);
        assertEquals(1, m.calls.size());
        assertArrayEquals(new int[] {4, 3, 80, 112}, m.calls.get(0));
    }

    @Test
    void twoFlipTtaRunsTheImageAsIsAndRotatedBy180DegreesInOnePass() {
        int w = 100, h = 70; // padded 112 x 80 = 8960 px, x2 views = 17920
        float[][] in = randomPlanes(w, h, 5);
        PixelModel m = new PixelModel();
        float[][] out = new TiledPredictor(m, 2, 32, 8, 16, 2, 8, 17920).predict(in, w, h);
        assertPixelModelOutput(in, out);
        assertEquals(1, m.calls.size());
        assertArrayEquals(new int[] {2, 3, 80, 112}, m.calls.get(0));
        float[] batch = m.inputs.get(0);
        int plane = 80 * 112;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 80; y++) {
                for (int x = 0; x < 112; x++) {
                    float asIs = batch[c * plane + y * 112 + x];
                    float rotated = batch[(3 + c) * plane + (79 - y) * 112 + (111 - x)];
                    assertEquals(asIs, rotated, 0f, "view 2 is view 1 rotated by 180 degrees at " + x + "," + y);
                }
            }
        }
        // one pixel over the budget for two views: tiles, still exact
        PixelModel tiled = new PixelModel();
        assertPixelModelOutput(in, new TiledPredictor(tiled, 2, 32, 8, 16, 2, 8, 17919).predict(in, w, h));
        assertTrue(tiled.calls.size() > 1);
    }

    @Test
    void ttaFlipsOtherThanOneTwoOrFourAreRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TiledPredictor(new PixelModel(), 2, 32, 8, 16, 3, 8, 0));
    }

    @Test
    void imageOverThePassBudgetIsTiled() {
        int w = 100, h = 70;
        float[][] in = randomPlanes(w, h, 4);
        PixelModel tta = new PixelModel();
        assertPixelModelOutput(in, new TiledPredictor(tta, 2, 32, 8, 16, true, 8, 35839).predict(in, w, h));
        PixelModel plain = new PixelModel();
        assertPixelModelOutput(in, new TiledPredictor(plain, 2, 32, 8, 16, false, 8, 8959).predict(in, w, h));
        for (PixelModel m : List.of(tta, plain)) {
            assertTrue(m.calls.size() > 1);
            for (int[] call : m.calls) assertArrayEquals(new int[] {32, 32}, new int[] {call[2], call[3]});
        }
    }

    @Test
    void tileOriginsCoverTheImageAndEndFlush() {
        TiledPredictor p = new TiledPredictor(new PixelModel(), 2, 256, 32, 16, false, 1);
        assertArrayEquals(new int[] {0}, p.starts(200, 208));
        assertArrayEquals(new int[] {0, 224, 444}, p.starts(700, 256));
        assertArrayEquals(new int[] {0, 4}, p.starts(260, 256));
    }

    @Test
    void reflectPaddingMirrorsWithoutRepeatingTheEdge() {
        assertEquals(1, TiledPredictor.reflect(-1, 5));
        assertEquals(3, TiledPredictor.reflect(5, 5));
        assertEquals(0, TiledPredictor.reflect(8, 5));
        assertEquals(0, TiledPredictor.reflect(3, 1));
    }
}
