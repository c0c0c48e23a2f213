package org.nucleispark.segment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.nucleispark.image.Image;

/**
 * Where to read the full-resolution windows on which a large image's nucleus size is measured (and an IHC image's
 * DAB decided, {@link org.nucleispark.image.DabGate}; {@link Segmenter#statistics(Image, List)}): the image is cut into squares of {@link #SIDE} px and the
 * {@link #COUNT} whose pixels vary most in the subsampled read are taken — on a slide or a stitched plate they
 * hold tissue or cells, not the empty glass or well background, whose few specks would read as tiny nuclei.
 * Variance of the channels' mean is a modality-blind measure of "something is there", which is all the choice
 * needs: the segmenter measures the nuclei on its own canonical plane. 4 × 1024² px is as many pixels as the
 * statistics sample and holds hundreds of nuclei of any size the models serve.
 */
final class NucleusSizeWindows {
    static final int SIDE = 1024;
    static final int COUNT = 4;

    /** A window in image coordinates. */
    record Window(int x, int y, int width, int height) {}

    private NucleusSizeWindows() {}

    /**
     * @param sample the subsampled read of the whole image, every {@code step}-th pixel
     * @return at most {@link #COUNT} windows of {@link #SIDE}² px (less where the image is smaller), inside the
     *         image, most varied first
     */
    static List<Window> choose(Image sample, int step, int imageWidth, int imageHeight) {
        int side = Math.min(SIDE, Math.min(imageWidth, imageHeight));
        int cols = (imageWidth + side - 1) / side, rows = (imageHeight + side - 1) / side;
        record Scored(Window window, double variance) {}
        List<Scored> cells = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                // the last row and column are shifted in so that every window is whole
                Window cell = new Window(Math.min(c * side, imageWidth - side), Math.min(r * side, imageHeight - side), side, side);
                cells.add(new Scored(cell, greyVariance(sample, step, cell)));
            }
        }
        cells.sort(Comparator.comparingDouble(Scored::variance).reversed()); // stable: ties keep the reading order
        return cells.stream().limit(COUNT).map(Scored::window).toList();
    }

    /** Variance of the channels' mean over the sample's pixels inside the cell (0 for a cell with none). */
    static double greyVariance(Image sample, int step, Window cell) {
        int x0 = (cell.x() + step - 1) / step, y0 = (cell.y() + step - 1) / step;
        int x1 = Math.min(sample.width(), (cell.x() + cell.width() + step - 1) / step);
        int y1 = Math.min(sample.height(), (cell.y() + cell.height() + step - 1) / step);
        double sum = 0, sumSq = 0;
        long n = 0;
        int channels = sample.channels();
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                double v = 0;
                for (int c = 0; c < channels; c++) v += sample.get(c, x, y);
                v /= channels;
                sum += v;
                sumSq += v * v;
                n++;
            }
        }
        if (n == 0) return 0;
        double mean = sum / n;
        return Math.max(0, sumSq / n - mean * mean);
    }
}
