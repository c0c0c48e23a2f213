package org.nucleispark.image;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * Which DAB pixels of an immunohistochemistry image may count as nuclei ({@code canonical.solid_regions}): those
 * whose 8-connected region, holes filled, is less than {@code solidBelow} times its own area, and none when they
 * are less than {@code share} of all the DAB. Nuclear DAB (Ki-67, ER, PR) is a solid blob; membranous DAB (HER2,
 * CD markers) is a ring around a haematoxylin nucleus, and its broken rings are solid arcs, hence the image-wide
 * share. Holes are the background that cannot reach the outside of the image in 4-connected steps (scipy's
 * binary_fill_holes): the mask is padded by one background pixel and flooded from its corner with OpenCV.
 */
final class SolidRegions {
    private static final byte OUTSIDE = 2;

    private SolidRegions() {}

    /** @return the solid pixels of {@code mask} (w × h, row-major), or all false */
    static boolean[] of(boolean[] mask, int width, int height, double solidBelow, double share) {
        return ifShare(solid(mask, width, height, solidBelow), count(mask), share);
    }

    /** {@code kept}, the solid pixels of a mask of {@code maskPixels}, when they are at least {@code share} of it; else none. */
    static boolean[] ifShare(boolean[] kept, long maskPixels, double share) {
        return count(kept) < share * maskPixels ? new boolean[kept.length] : kept;
    }

    static long count(boolean[] mask) {
        long n = 0;
        for (boolean v : mask) if (v) n++;
        return n;
    }

    /**
     * The pixels of {@code mask} in solid regions, without the image-wide share test: what each block of a large
     * image keeps once the share was decided on the whole image ({@link DabGate}).
     */
    static boolean[] solid(boolean[] mask, int width, int height, double solidBelow) {
        OpenCv.ensureLoaded();
        int n = mask.length;
        long maskPixels = 0;
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            if (mask[i]) {
                bytes[i] = 1;
                maskPixels++;
            }
        }
        boolean[] kept = new boolean[n];
        if (maskPixels == 0) return kept;
        Mat m = new Mat(height, width, CvType.CV_8UC1);
        m.put(0, 0, bytes);
        Mat padded = new Mat();
        Core.copyMakeBorder(m, padded, 1, 1, 1, 1, Core.BORDER_CONSTANT, new Scalar(0));
        Imgproc.floodFill(padded, new Mat(), new Point(0, 0), new Scalar(OUTSIDE), null, new Scalar(0), new Scalar(0), 4);
        byte[] flooded = new byte[(width + 2) * (height + 2)];
        padded.get(0, 0, flooded);
        byte[] filled = new byte[n];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) filled[y * width + x] = flooded[(y + 1) * (width + 2) + x + 1] == OUTSIDE ? (byte) 0 : 1;
        }
        Mat filledMat = new Mat(height, width, CvType.CV_8UC1);
        filledMat.put(0, 0, filled);
        Mat labelsMat = new Mat();
        int regions = Imgproc.connectedComponents(filledMat, labelsMat, 8, CvType.CV_32S);
        int[] labels = new int[n];
        labelsMat.get(0, 0, labels);
        m.release();
        padded.release();
        filledMat.release();
        labelsMat.release();
        long[] filledArea = new long[regions], ownArea = new long[regions];
        for (int i = 0; i < n; i++) {
            filledArea[labels[i]]++;
            if (mask[i]) ownArea[labels[i]]++;
        }
        for (int i = 0; i < n; i++) {
            int l = labels[i];
            if (mask[i] && l != 0 && filledArea[l] < solidBelow * Math.max(ownArea[l], 1)) kept[i] = true;
        }
        return kept;
    }
}
