package org.nucleispark.measure;

/**
 * Euler number (objects minus holes) of a binary mask, as scikit-image's {@code regionprops}
 * reports it for 2-D regions: foreground 8-connected, background 4-connected. A filled nucleus
 * is 1, a ring 0, a mask with two holes -1.
 *
 * <p>Counted with Gray's bit-quads (Pratt, Digital Image Processing, ch. 18): over every 2x2 window
 * of the zero-padded mask, E = (Q1 - Q3 - 2 QD) / 4, where Q1 and Q3 count windows with exactly
 * one and three foreground pixels and QD the windows whose two foreground pixels are diagonal.
 * One pass, no labelling; written by hand because OpenCV has no Euler number.
 */
public final class EulerNumber {
    private EulerNumber() {}

    /** @param mask row-major, {@code width * height} */
    public static int of(boolean[] mask, int width, int height) {
        int q1 = 0, q3 = 0, qd = 0;
        for (int y = -1; y < height; y++) {
            for (int x = -1; x < width; x++) {
                boolean a = at(mask, width, height, x, y);
                boolean b = at(mask, width, height, x + 1, y);
                boolean c = at(mask, width, height, x, y + 1);
                boolean d = at(mask, width, height, x + 1, y + 1);
                int n = (a ? 1 : 0) + (b ? 1 : 0) + (c ? 1 : 0) + (d ? 1 : 0);
                if (n == 1) q1++;
                else if (n == 3) q3++;
                else if (n == 2 && a == d) qd++;
            }
        }
        return (q1 - q3 - 2 * qd) / 4;
    }

    private static boolean at(boolean[] mask, int width, int height, int x, int y) {
        return x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x];
    }
}
