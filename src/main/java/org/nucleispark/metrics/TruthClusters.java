package org.nucleispark.metrics;

import org.nucleispark.image.LabelImage;
import org.nucleispark.postprocess.ConnectedComponents;

/**
 * How crowded each true nucleus is: the number of true nuclei in its cluster, where a cluster is a
 * connected component of the ground-truth foreground dilated by a disc of radius
 * {@value #DILATION_RADIUS} px. An isolated nucleus has cluster size 1.
 *
 * <p>Why dilate: annotators draw touching nuclei with a 1–2 px background line between them, and
 * segmenters fail on nuclei that nearly touch just as on those that do. A radius of 2 grows each
 * nucleus by 2 px, so two nuclei whose boundaries are at most 4 px apart (4-connected after dilation)
 * fall into one cluster, while nuclei separated by clear background (5 px or more) stay apart.
 */
public final class TruthClusters {
    public static final int DILATION_RADIUS = 2;

    private TruthClusters() {}

    /** Cluster size of every true label: {@code result[label]} (0 for labels absent from the image). */
    public static int[] sizes(LabelImage truth) {
        int w = truth.width();
        int h = truth.height();
        int[] labels = truth.labels();
        int[] comp = ConnectedComponents.label4(dilate(labels, w, h), w, h);
        int max = truth.maxLabel();
        int[] compOf = new int[max + 1];
        int maxComp = 0;
        for (int c : comp) maxComp = Math.max(maxComp, c);
        int[] nucleiPerComp = new int[maxComp + 1];
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            // a nucleus lies inside the dilation of itself, so all its pixels share one component
            if (l > 0 && compOf[l] == 0) {
                compOf[l] = comp[i];
                nucleiPerComp[comp[i]]++;
            }
        }
        int[] sizes = new int[max + 1];
        for (int l = 1; l <= max; l++) {
            if (compOf[l] != 0) sizes[l] = nucleiPerComp[compOf[l]];
        }
        return sizes;
    }

    private static boolean[] dilate(int[] labels, int w, int h) {
        int r = DILATION_RADIUS;
        boolean[] out = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (labels[y * w + x] == 0) continue;
                for (int dy = -r; dy <= r; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) continue;
                    for (int dx = -r; dx <= r; dx++) {
                        int xx = x + dx;
                        if (xx < 0 || xx >= w || dx * dx + dy * dy > r * r) continue;
                        out[yy * w + xx] = true;
                    }
                }
            }
        }
        return out;
    }
}
