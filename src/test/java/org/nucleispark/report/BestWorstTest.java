package org.nucleispark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nucleispark.report.BestWorst.ImageScore;

class BestWorstTest {

    private static List<String> ids(List<ImageScore> s) {
        return s.stream().map(ImageScore::imageId).toList();
    }

    @Test
    void bestAndWorstByScoreAmongImagesWithNuclei() {
        List<ImageScore> images = List.of(
                new ImageScore("a", 0.9, 10), new ImageScore("b", 0.1, 5), new ImageScore("c", 0.5, 3),
                new ImageScore("d", 1.0, 0), // empty: scores 1 by convention, never an example
                new ImageScore("e", 0.7, 4), new ImageScore("f", 0.3, 8), new ImageScore("g", 0.5, 2),
                new ImageScore("h", 0.0, 6));
        BestWorst bw = BestWorst.of(images, 3);
        assertEquals(List.of("a", "e", "c"), ids(bw.best()));   // c before g: tie broken by id
        assertEquals(List.of("h", "b", "f"), ids(bw.worst()));
    }

    @Test
    void fewImagesAreNotShownTwice() {
        List<ImageScore> images = List.of(new ImageScore("a", 0.9, 1), new ImageScore("b", 0.4, 1),
                new ImageScore("c", 0.2, 1), new ImageScore("d", 0.1, 1));
        BestWorst bw = BestWorst.of(images, 3);
        assertEquals(List.of("a", "b", "c"), ids(bw.best()));
        assertEquals(List.of("d"), ids(bw.worst()));
    }
}
