package org.nucleispark.io;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.nucleispark.image.LabelImage;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Run-length encoding of instance masks in the Data Science Bowl 2018 convention (competition
 * "Evaluation" page): pixels are numbered from 1, top to bottom and then left to right (column-major,
 * as numpy's {@code mask.T.flatten()}), and a mask is written as space-separated "start length"
 * pairs with starts ascending. A run may continue from the bottom of one column into the top of the
 * next, because the numbering does. An empty mask is the empty string.
 *
 * <p>Masks passed in and out are row-major, like {@link LabelImage}.
 */
public final class Rle {
    private Rle() {
    }

    /** Encodes the pixels of {@code image} that carry {@code label}. */
    public static String encode(LabelImage image, int label) {
        Objects.requireNonNull(image, "image");
        int[] labels = image.labels();
        int w = image.width();
        int h = image.height();
        StringBuilder sb = new StringBuilder();
        int runStart = -1;
        int position = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++, position++) {
                boolean on = labels[y * w + x] == label;
                if (on && runStart < 0) {
                    runStart = position;
                } else if (!on && runStart >= 0) {
                    appendRun(sb, runStart, position - runStart);
                    runStart = -1;
                }
            }
        }
        if (runStart >= 0) {
            appendRun(sb, runStart, position - runStart);
        }
        return sb.toString();
    }

    /**
     * Encodes one instance given as its row-major pixel indices {@code y * width + x}, in time
     * proportional to its size rather than the image's.
     */
    public static String encodePixels(int[] rowMajorPixels, int width, int height) {
        checkSize(width, height);
        long[] columnMajor = new long[rowMajorPixels.length];
        for (int i = 0; i < columnMajor.length; i++) {
            int p = rowMajorPixels[i];
            columnMajor[i] = (long) (p % width) * height + p / width;
        }
        Arrays.sort(columnMajor);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columnMajor.length; ) {
            int j = i;
            while (j + 1 < columnMajor.length && columnMajor[j + 1] == columnMajor[j] + 1) j++;
            appendRun(sb, (int) columnMajor[i], j - i + 1);
            i = j + 1;
        }
        return sb.toString();
    }

    /** The row-major pixel indices {@code y * width + x} of an encoded instance, ascending. */
    public static int[] pixels(String rle, int width, int height) {
        checkSize(width, height);
        String[] t = rle.isBlank() ? new String[0] : rle.trim().split("\\s+");
        if (t.length % 2 != 0) throw new IllegalArgumentException("RLE has an odd number of values");
        int n = 0;
        for (int i = 1; i < t.length; i += 2) n += Integer.parseInt(t[i]);
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < t.length; i += 2) {
            int start = Integer.parseInt(t[i]) - 1, length = Integer.parseInt(t[i + 1]);
            for (int j = 0; j < length; j++) {
                int p = start + j;
                if (p < 0 || p >= width * height) throw new IllegalArgumentException("RLE run outside the " + width + "x" + height + " image");
                out[k++] = (p % height) * width + p / height;
            }
        }
        Arrays.sort(out);
        return out;
    }

    /** Encodes a row-major mask of {@code width} x {@code height} pixels. */
    public static String encode(boolean[] maskRowMajor, int width, int height) {
        Objects.requireNonNull(maskRowMajor, "maskRowMajor");
        checkSize(width, height);
        if (maskRowMajor.length != (long) width * height) {
            throw new IllegalArgumentException("mask has " + maskRowMajor.length + " pixels, expected "
                    + width + "x" + height + " = " + ((long) width * height));
        }
        int[] labels = new int[maskRowMajor.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = maskRowMajor[i] ? 1 : 0;
        }
        return encode(new LabelImage(width, height, labels), 1);
    }

    /**
     * Encodes every instance (positive label) of {@code image} in one column-major pass, which costs
     * the same for five hundred instances as for one; calling {@link #encode(LabelImage, int)} per
     * label would scan the image once per instance.
     *
     * @return label to RLE string, in ascending label order
     */
    public static Map<Integer, String> encodeAll(LabelImage image) {
        Objects.requireNonNull(image, "image");
        int[] labels = image.labels();
        int w = image.width();
        int h = image.height();
        Map<Integer, StringBuilder> builders = new HashMap<>();
        int current = 0;
        int runStart = 0;
        int position = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++, position++) {
                int label = labels[y * w + x];
                if (label != current) {
                    if (current > 0) {
                        appendRun(builders.computeIfAbsent(current, k -> new StringBuilder()),
                                runStart, position - runStart);
                    }
                    current = label;
                    runStart = position;
                }
            }
        }
        if (current > 0) {
            appendRun(builders.computeIfAbsent(current, k -> new StringBuilder()), runStart, position - runStart);
        }
        Map<Integer, String> out = new TreeMap<>();
        builders.forEach((label, sb) -> out.put(label, sb.toString()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Encodes one instance of a block against the whole image it was cut from: the pixels of
     * {@code block} that carry {@code label}, searched only within the block-local box
     * [{@code x0}, {@code x1}) × [{@code y0}, {@code y1}), numbered as pixels of an image
     * {@code imageHeight} rows high in which the block's top-left pixel is ({@code offsetX},
     * {@code offsetY}). Gives what {@link #encode(LabelImage, int)} gives on the whole image, without
     * the whole image: a large image segmented block by block never has a whole-image label array.
     */
    public static String encodeInImage(LabelImage block, int label, int x0, int y0, int x1, int y1,
                                       int offsetX, int offsetY, int imageHeight) {
        Objects.requireNonNull(block, "block");
        if (x0 < 0 || y0 < 0 || x1 > block.width() || y1 > block.height() || x0 > x1 || y0 > y1) {
            throw new IllegalArgumentException("box [" + x0 + "," + x1 + ")x[" + y0 + "," + y1 + ") is not inside the "
                    + block.width() + "x" + block.height() + " block");
        }
        if (offsetY + block.height() > imageHeight) {
            throw new IllegalArgumentException("block rows " + offsetY + ".." + (offsetY + block.height())
                    + " exceed the image height " + imageHeight);
        }
        int[] labels = block.labels();
        int w = block.width();
        StringBuilder sb = new StringBuilder();
        long runStart = -1;
        long last = -2;
        for (int x = x0; x < x1; x++) {
            long column = (long) (x + offsetX) * imageHeight + offsetY;
            for (int y = y0; y < y1; y++) {
                if (labels[y * w + x] != label) continue;
                long position = column + y;
                if (position != last + 1) { // a gap, within the column or to the next: the run ends
                    if (runStart >= 0) appendRun(sb, runStart, last + 1 - runStart);
                    runStart = position;
                }
                last = position;
            }
        }
        if (runStart >= 0) appendRun(sb, runStart, last + 1 - runStart);
        return sb.toString();
    }

    private static void appendRun(StringBuilder sb, long zeroBasedStart, long length) {
        if (sb.length() > 0) {
            sb.append(' ');
        }
        sb.append(zeroBasedStart + 1).append(' ').append(length);
    }

    /**
     * Decodes an RLE string into a row-major mask of {@code width} x {@code height} pixels. Blank
     * input is the empty mask. Runs must be in ascending order and must not overlap; runs that touch
     * (one starting right after the previous ends) are accepted.
     *
     * @throws IllegalArgumentException when the string is malformed, saying what is wrong
     */
    public static boolean[] decode(String rle, int width, int height) {
        checkSize(width, height);
        boolean[] mask = new boolean[width * height];
        forEachPixel(rle, width, height, i -> mask[i] = true);
        return mask;
    }

    /**
     * Writes {@code label} into every pixel of the RLE in a row-major label array, without building
     * a full-image mask per instance (which costs O(instances × pixels) on large images).
     *
     * @throws IllegalArgumentException as {@link #decode}
     */
    public static void paint(String rle, int label, int[] labelsRowMajor, int width, int height) {
        checkSize(width, height);
        if (labelsRowMajor.length != width * height) {
            throw new IllegalArgumentException("label array has " + labelsRowMajor.length + " pixels, not " + width + "x" + height);
        }
        forEachPixel(rle, width, height, i -> labelsRowMajor[i] = label);
    }

    private static void forEachPixel(String rle, int width, int height, IntConsumer rowMajorIndex) {
        Objects.requireNonNull(rle, "rle");
        long pixels = (long) width * height;
        String trimmed = rle.strip();
        if (trimmed.isEmpty()) {
            return;
        }
        String[] tokens = trimmed.split("\\s+");
        if (tokens.length % 2 != 0) {
            throw new IllegalArgumentException("RLE has " + tokens.length
                    + " numbers; expected \"start length\" pairs, i.e. an even count");
        }
        long previousEnd = 0; // 1-based index of the last pixel of the previous run
        for (int t = 0; t < tokens.length; t += 2) {
            long start = parse(tokens[t], t, "start", width, height);
            long length = parse(tokens[t + 1], t + 1, "length", width, height);
            int run = t / 2 + 1;
            if (start < 1) {
                throw new IllegalArgumentException("run " + run + ": start " + start
                        + " is below 1; DSB pixel numbers are 1-based");
            }
            if (length < 1) {
                throw new IllegalArgumentException("run " + run + ": length " + length + " must be at least 1");
            }
            long end = start + length - 1;
            if (end > pixels) {
                throw new IllegalArgumentException("run " + run + ": pixels " + start + ".." + end
                        + " exceed the " + width + "x" + height + " image (" + pixels + " pixels)");
            }
            if (start <= previousEnd) {
                throw new IllegalArgumentException("run " + run + ": start " + start + " is not after the previous run's end "
                        + previousEnd + "; runs must be sorted and must not overlap");
            }
            for (long p = start - 1; p < end; p++) {
                int x = (int) (p / height);
                int y = (int) (p % height);
                rowMajorIndex.accept(y * width + x);
            }
            previousEnd = end;
        }
    }

    private static long parse(String token, int index, String what, int width, int height) {
        // Digits only: Long.parseLong would also accept "+5" and report an overlong number as a
        // format error rather than as out of range.
        if (!token.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("RLE item " + (index + 1) + " (" + what + ") is \"" + token
                    + "\", not a non-negative whole number");
        }
        if (token.length() > 12) {
            throw new IllegalArgumentException("RLE item " + (index + 1) + " (" + what + ") " + token
                    + " is out of range for a " + width + "x" + height + " image");
        }
        return Long.parseLong(token);
    }

    private static void checkSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if ((long) width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image " + width + "x" + height + " is too large for one array");
        }
    }
}
