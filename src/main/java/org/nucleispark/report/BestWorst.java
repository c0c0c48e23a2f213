package org.nucleispark.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The images to show as examples: the {@code n} best and {@code n} worst by DSB score among images
 * with at least one true nucleus (an empty image scores 1 by convention and teaches nothing). Ties
 * are broken by image id so the choice is stable; when there are fewer than {@code 2n} images, the
 * worst list leaves out what the best list already shows.
 */
public record BestWorst(List<ImageScore> best, List<ImageScore> worst) {

    public record ImageScore(String imageId, double score, int nTrue) {}

    public static BestWorst of(List<ImageScore> images, int n) {
        List<ImageScore> candidates = new ArrayList<>();
        for (ImageScore s : images) {
            if (s.nTrue() > 0 && !Double.isNaN(s.score())) candidates.add(s);
        }
        Comparator<ImageScore> byScore = Comparator.comparingDouble(ImageScore::score).thenComparing(ImageScore::imageId);
        candidates.sort(Comparator.comparingDouble((ImageScore s) -> -s.score()).thenComparing(ImageScore::imageId));
        List<ImageScore> best = new ArrayList<>(candidates.subList(0, Math.min(n, candidates.size())));
        List<ImageScore> rest = new ArrayList<>(candidates.subList(best.size(), candidates.size()));
        rest.sort(byScore);
        List<ImageScore> worst = new ArrayList<>(rest.subList(0, Math.min(n, rest.size())));
        return new BestWorst(best, worst);
    }
}
