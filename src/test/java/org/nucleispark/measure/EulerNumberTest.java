package org.nucleispark.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EulerNumberTest {
    private static boolean[] parse(String... rows) {
        boolean[] m = new boolean[rows.length * rows[0].length()];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < rows[y].length(); x++) m[y * rows[0].length() + x] = rows[y].charAt(x) == '#';
        }
        return m;
    }

    private static int euler(String... rows) {
        return EulerNumber.of(parse(rows), rows[0].length(), rows.length);
    }

    @Test
    void filledShapesAreOne() {
        assertEquals(1, euler("#"));
        assertEquals(1, euler(".###.", "#####", "#####", ".###."));
    }

    @Test
    void holesCountNegative() {
        assertEquals(0, euler("###", "#.#", "###"));
        assertEquals(-1, euler("#####", "#.#.#", "#####"));
    }

    @Test
    void foregroundIsEightConnectedBackgroundFourConnected() {
        // diagonal pixels are one object (scikit-image's 2-D connectivity for regionprops)
        assertEquals(1, euler("#.", ".#"));
        // a diagonal gap in a ring does not open the hole: background is 4-connected
        assertEquals(0, euler(".##", "#.#", "##."));
        assertEquals(2, euler("#..#"));
    }
}
