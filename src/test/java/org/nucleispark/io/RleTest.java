package org.nucleispark.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nucleispark.image.LabelImage;

class RleTest {

    // 3x3, row-major:     column-major numbering (1-based):
    //   1 0 0                1 4 7
    //   1 0 1                2 5 8
    //   0 1 1                3 6 9
    // Mask pixels are 1, 2, 6, 8, 9.
    private static final boolean[] THREE_BY_THREE = {
        true, false, false,
        true, false, true,
        false, true, true,
    };

    @Test
    void pixelListsEncodeAndDecodeLikeLabelImages() {
        Random random = new Random(11);
        int w = 13, h = 7;
        for (int trial = 0; trial < 50; trial++) {
            int[] labels = new int[w * h];
            List<Integer> on = new java.util.ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (random.nextInt(3) == 0) {
                    labels[i] = 1;
                    on.add(i);
                }
            }
            int[] pixels = on.stream().mapToInt(Integer::intValue).toArray();
            String rle = Rle.encodePixels(pixels, w, h);
            assertEquals(Rle.encode(new org.nucleispark.image.LabelImage(w, h, labels), 1), rle);
            assertArrayEquals(pixels, Rle.pixels(rle, w, h));
        }
        assertEquals("", Rle.encodePixels(new int[0], w, h));
        assertEquals(0, Rle.pixels("", w, h).length);
        assertThrows(IllegalArgumentException.class, () -> Rle.pixels("90 5", w, h), "runs past the image");
    }

    @Test
    void handCheckedThreeByThree() {
        assertEquals("1 2 6 1 8 2", Rle.encode(THREE_BY_THREE, 3, 3));
        assertArrayEquals(THREE_BY_THREE, Rle.decode("1 2 6 1 8 2", 3, 3));
    }

    @Test
    void handCheckedNonSquareTellsWidthFromHeight() {
        // 3 wide, 2 high:   1 1 0      numbering   1 3 5
        //                   0 1 1                  2 4 6
        boolean[] mask = {true, true, false, false, true, true};
        assertEquals("1 1 3 2 6 1", Rle.encode(mask, 3, 2));
        assertArrayEquals(mask, Rle.decode("1 1 3 2 6 1", 3, 2));
    }

    @Test
    void runContinuesFromOneColumnIntoTheNext() {
        // Pixel 6 is the bottom of column 2 and pixel 7 the top of column 3: one run "6 2".
        boolean[] mask = {
            false, false, true,
            false, false, false,
            false, true, false,
        };
        assertEquals("6 2", Rle.encode(mask, 3, 3));
        assertArrayEquals(mask, Rle.decode("6 2", 3, 3));
    }

    @Test
    void emptyAndFullMasks() {
        assertEquals("", Rle.encode(new boolean[9], 3, 3));
        assertArrayEquals(new boolean[9], Rle.decode("", 3, 3));
        assertArrayEquals(new boolean[9], Rle.decode("  ", 3, 3));
        boolean[] full = {true, true, true, true, true, true};
        assertEquals("1 6", Rle.encode(full, 2, 3));
        assertArrayEquals(full, Rle.decode("1 6", 2, 3));
    }

    @Test
    void encodeOfLabelSelectsThatLabelOnly() {
        LabelImage image = new LabelImage(3, 3, new int[] {
            4, 0, 0,
            4, 9, 4,
            9, 4, 4,
        });
        assertEquals("1 2 6 1 8 2", Rle.encode(image, 4));
        assertEquals("3 1 5 1", Rle.encode(image, 9));
        assertEquals("", Rle.encode(image, 5));
    }

    @Test
    void randomMasksRoundTrip() {
        Random random = new Random(20180416);
        for (int trial = 0; trial < 200; trial++) {
            int w = 1 + random.nextInt(17);
            int h = 1 + random.nextInt(13);
            double density = random.nextDouble();
            boolean[] mask = new boolean[w * h];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = random.nextDouble() < density;
            }
            String rle = Rle.encode(mask, w, h);
            assertArrayEquals(mask, Rle.decode(rle, w, h), "trial " + trial + " " + w + "x" + h + ": " + rle);
        }
    }

    @Test
    void encodeAllMatchesPerLabelEncoding() {
        Random random = new Random(7);
        int w = 401;
        int h = 53;
        int[] labels = new int[w * h];
        // Runs of non-contiguous labels laid out in column-major order, so that many runs continue
        // from the bottom of one column into the top of the next.
        for (int k = 0; k < labels.length; ) {
            int label = random.nextInt(4) == 0 ? 0 : 1 + 3 * random.nextInt(300);
            int run = 1 + random.nextInt(h);
            for (int r = 0; r < run && k < labels.length; r++, k++) {
                labels[(k % h) * w + k / h] = label;
            }
        }
        LabelImage image = new LabelImage(w, h, labels);
        Map<Integer, String> all = Rle.encodeAll(image);
        int distinct = (int) java.util.Arrays.stream(labels).filter(l -> l > 0).distinct().count();
        assertTrue(distinct > 200, "test image should have hundreds of instances, has " + distinct);
        assertEquals(distinct, all.size());
        int previous = 0;
        for (Map.Entry<Integer, String> e : all.entrySet()) {
            assertTrue(e.getKey() > previous, "labels in ascending order");
            previous = e.getKey();
            assertEquals(Rle.encode(image, e.getKey()), e.getValue(), "label " + e.getKey());
        }
    }

    @Test
    void encodeAllOnHandExample() {
        LabelImage image = new LabelImage(3, 3, new int[] {
            4, 0, 0,
            4, 9, 4,
            9, 4, 4,
        });
        assertEquals(Map.of(4, "1 2 6 1 8 2", 9, "3 1 5 1"), Rle.encodeAll(image));
        assertEquals(List.of(4, 9), List.copyOf(Rle.encodeAll(image).keySet()));
        assertEquals(Map.of(), Rle.encodeAll(LabelImage.empty(2, 2)));
        // Label 5 runs from the bottom of column 2 (pixel 6) into the top of column 3 (pixel 7).
        LabelImage wrapping = new LabelImage(3, 3, new int[] {
            0, 0, 5,
            0, 0, 0,
            0, 5, 0,
        });
        assertEquals(Map.of(5, "6 2"), Rle.encodeAll(wrapping));
    }

    @ParameterizedTest(name = "\"{0}\" → {1}")
    @CsvSource(delimiter = '|', value = {
        "1 2 3      | even count",
        "1 a        | not a non-negative whole number",
        "1 2.5      | not a non-negative whole number",
        "-1 2       | not a non-negative whole number",
        "+1 2       | not a non-negative whole number",
        "0 2        | below 1",
        "1 0        | at least 1",
        "8 3        | exceed the 3x3 image",
        "10 1       | exceed the 3x3 image",
        "99999999999999999999 1 | out of range",
        "1 3 2 2    | not after the previous run's end 3",
        "1 3 3 1    | not after the previous run's end 3",
        "5 1 1 1    | not after the previous run's end 5",
    })
    void malformedStringsAreRejectedWithAReason(String rle, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rle.decode(rle, 3, 3));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void touchingRunsAreAccepted() {
        boolean[] mask = Rle.decode("1 2 3 1", 3, 3);
        assertArrayEquals(Rle.decode("1 3", 3, 3), mask);
    }

    @Test
    void maskOfTheWrongSizeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Rle.encode(new boolean[8], 3, 3));
        assertTrue(e.getMessage().contains("8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Rle.decode("1 1", 0, 3));
    }

    @Test
    void paintWritesTheLabelOnlyIntoTheRunsPixels() {
        int[] labels = new int[3 * 3];
        labels[8] = 5; // an existing instance elsewhere stays untouched
        Rle.paint("1 2 7 1", 3, labels, 3, 3); // column-major 1,2 = (0,0),(0,1); 7 = (2,0)
        assertArrayEquals(new int[] {3, 0, 3, 3, 0, 0, 0, 0, 5}, labels);
    }

    @Test
    void paintRejectsMalformedRunsLikeDecode() {
        int[] labels = new int[4];
        assertThrows(IllegalArgumentException.class, () -> Rle.paint("1 5", 1, labels, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Rle.paint("1 1", 1, new int[3], 2, 2));
    }

    /**
     * A block cut from a random label image, with each instance encoded from the block alone
     * (within its block-local box) against the whole image, gives exactly what encoding the whole
     * image gives, for blocks at every kind of position: corner, edge, interior, full height (where a
     * run may continue from the bottom of one column into the top of the next).
     */
    @Test
    void instanceOfABlockEncodesAsInTheWholeImage() {
        int w = 23, h = 17;
        Random rnd = new Random(7);
        int[] whole = new int[w * h];
        for (int i = 0; i < whole.length; i++) whole[i] = rnd.nextInt(10) < 6 ? 0 : 1 + rnd.nextInt(3);
        LabelImage image = new LabelImage(w, h, whole);
        int[][] blocks = {{0, 0, 9, 7}, {5, 4, 18, 13}, {14, 10, 23, 17}, {3, 0, 11, 17}, {0, 0, 23, 17}};
        for (int[] b : blocks) {
            int bw = b[2] - b[0], bh = b[3] - b[1];
            int[] local = new int[bw * bh];
            for (int y = 0; y < bh; y++) for (int x = 0; x < bw; x++) local[y * bw + x] = whole[(y + b[1]) * w + x + b[0]];
            // only the block's pixels of each label: the reference is the whole image with everything else cleared
            for (int label = 1; label <= 3; label++) {
                int[] inBlockOnly = new int[w * h];
                for (int y = 0; y < bh; y++) for (int x = 0; x < bw; x++) inBlockOnly[(y + b[1]) * w + x + b[0]] = local[y * bw + x];
                String expected = Rle.encode(new LabelImage(w, h, inBlockOnly), label);
                String got = Rle.encodeInImage(new LabelImage(bw, bh, local), label, 0, 0, bw, bh, b[0], b[1], h);
                assertEquals(expected, got, "label " + label + " in block " + java.util.Arrays.toString(b));
            }
        }
        assertEquals(Rle.encode(image, 2), Rle.encodeInImage(image, 2, 0, 0, w, h, 0, 0, h));
    }

    @Test
    void instanceEncodingSearchesOnlyItsBox() {
        // two pixels of label 1 in a 4x4 block at (10, 20) of a 30-row image; the box holds only the first
        int[] local = new int[16];
        local[1 * 4 + 2] = 1; // x=2, y=1
        local[3 * 4 + 0] = 1; // x=0, y=3, outside the box below
        String rle = Rle.encodeInImage(new LabelImage(4, 4, local), 1, 2, 1, 3, 2, 10, 20, 30);
        // global pixel (12, 21): column-major index 12*30 + 21 = 381, 1-based 382
        assertEquals("382 1", rle);
    }
}
