package org.nucleispark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nucleispark.image.LabelImage;

class TruthClustersTest {
    private static final int W = 80;
    private static final int H = 40;

    /** Paints a disc of radius 4 (x in cx-4..cx+4 on its middle row). */
    private static void disc(int[] labels, int cx, int cy, int label) {
        for (int y = cy - 4; y <= cy + 4; y++) {
            for (int x = cx - 4; x <= cx + 4; x++) {
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= 16) labels[y * W + x] = label;
            }
        }
    }

    @Test
    void touchingAndNearNucleiShareAClusterWhileSeparatedOnesDoNot() {
        int[] labels = new int[W * H];
        disc(labels, 6, 6, 1);    // x 2..10
        disc(labels, 15, 6, 2);   // x 11..19: touches 1
        disc(labels, 6, 30, 3);   // alone
        disc(labels, 35, 6, 4);   // x 31..39
        disc(labels, 47, 6, 5);   // x 43..51: a 3 px gap (40, 41, 42) to 4
        disc(labels, 35, 30, 6);  // x 31..39
        disc(labels, 54, 30, 7);  // x 50..58: a 10 px gap to 6
        int[] sizes = TruthClusters.sizes(new LabelImage(W, H, labels));
        assertEquals(2, sizes[1]);
        assertEquals(2, sizes[2]);
        assertEquals(1, sizes[3]);
        assertEquals(2, sizes[4]);
        assertEquals(2, sizes[5]);
        assertEquals(1, sizes[6]);
        assertEquals(1, sizes[7]);
    }

    @Test
    void gapsUpToFourPixelsJoinAndFiveDoNot() {
        for (int gap = 1; gap <= 6; gap++) {
            int[] labels = new int[W * H];
            disc(labels, 10, 10, 1);
            disc(labels, 10 + 9 + gap, 10, 2);
            int[] sizes = TruthClusters.sizes(new LabelImage(W, H, labels));
            assertEquals(gap <= 4 ? 2 : 1, sizes[1], "gap " + gap);
        }
    }

    @Test
    void emptyTruthHasNoClusters() {
        assertEquals(1, TruthClusters.sizes(LabelImage.empty(5, 5)).length);
    }
}
