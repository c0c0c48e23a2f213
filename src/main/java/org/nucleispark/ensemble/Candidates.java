package org.nucleispark.ensemble;

import java.util.ArrayList;
import java.util.List;
import org.nucleispark.image.LabelImage;
import org.nucleispark.measure.InstanceFeatures;
import org.nucleispark.measure.ShapeMeasurer;
import org.nucleispark.image.Segmentation;

/** Turns one model's segmentation of an image into that model's candidates. */
public final class Candidates {
    private Candidates() {}

    public static List<Candidate> of(String source, Segmentation segmentation) {
        LabelImage img = segmentation.labels();
        int[] labels = img.labels();
        int max = img.maxLabel();
        int[] count = new int[max + 1];
        for (int l : labels) count[l]++;
        int[][] pixels = new int[max + 1][];
        for (int l = 1; l <= max; l++) pixels[l] = new int[count[l]];
        int[] fill = new int[max + 1];
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l != 0) pixels[l][fill[l]++] = i; // ascending because i is
        }
        List<Candidate> out = new ArrayList<>();
        for (InstanceFeatures f : ShapeMeasurer.measure(segmentation)) {
            int[] px = pixels[f.label()];
            out.add(new Candidate(source, px, f, segmentation.score(f.label())));
        }
        return out;
    }
}
