package org.nucleispark.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A corpus of plain image files for run-level tests: copies of the sample's small DSB images (256 px
 * high) under names img00.png, img01.png, …, so a test can add, touch or break files one by one.
 */
public final class SmallCorpus {
    private final Path dir;
    private final List<Path> sources;
    private int next;

    public SmallCorpus(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        List<Path> small = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Paths.get("sample-data/dsb"))) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                // the 256x256 and 320x256 ones: a few hundred ms for the whole corpus
                if (p.getParent().getFileName().toString().equals("images") && Files.size(p) < 150_000) small.add(p);
            }
        }
        if (small.size() < 3) throw new IllegalStateException("sample-data/dsb has too few small images: " + small);
        this.sources = small;
    }

    public Path dir() {
        return dir;
    }

    /** Adds n more images, each a copy of a sample image under a new name. */
    public List<Path> add(int n) throws IOException {
        List<Path> added = new ArrayList<>();
        for (int i = 0; i < n; i++, next++) {
            Path to = dir.resolve(String.format("img%02d.png", next));
            Files.copy(sources.get(next % sources.size()), to);
            added.add(to);
        }
        return added;
    }

    /** Adds a file that is not an image: it becomes an error row. */
    public Path addCorrupt(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "not a PNG, just text");
    }
}
