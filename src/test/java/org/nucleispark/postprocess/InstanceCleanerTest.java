package org.nucleispark.postprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nucleispark.image.LabelImage;

class InstanceCleanerTest {
    @Test
    void fillsHolesDropsSmallObjectsAndRenumbers() {
        int w = 12, h = 8;
        int[] l = new int[w * h];
        // label 7: a 5x5 ring with a 3x3 hole
        for (int y = 1; y < 6; y++) for (int x = 1; x < 6; x++) l[y * w + x] = 7;
        for (int y = 2; y < 5; y++) for (int x = 2; x < 5; x++) l[y * w + x] = 0;
        // label 3: 3 px speck
        l[1 * w + 9] = 3;
        l[1 * w + 10] = 3;
        l[2 * w + 9] = 3;
        LabelImage out = new InstanceCleaner(10).clean(new LabelImage(w, h, l));
        assertEquals(1, out.maxLabel(), "speck removed, ring renumbered to 1");
        assertEquals(1, out.get(3, 3), "hole filled");
        assertEquals(0, out.get(9, 1));
        int area = 0;
        for (int v : out.labels()) if (v == 1) area++;
        assertEquals(25, area);
    }

    @Test
    void aNucleusInsideAnotherIsKept() {
        int w = 9, h = 9;
        int[] l = new int[w * h];
        for (int y = 0; y < 9; y++) for (int x = 0; x < 9; x++) l[y * w + x] = 1;
        for (int y = 2; y < 7; y++) for (int x = 2; x < 7; x++) l[y * w + x] = 0;
        for (int y = 3; y < 6; y++) for (int x = 3; x < 6; x++) l[y * w + x] = 2;
        LabelImage out = new InstanceCleaner(1).clean(new LabelImage(w, h, l));
        assertEquals(2, out.maxLabel());
        assertEquals(out.get(4, 4) != out.get(0, 0), true);
        assertEquals(out.get(2, 2), out.get(0, 0), "the gap around the inner nucleus is a hole of the outer one");
    }
}
