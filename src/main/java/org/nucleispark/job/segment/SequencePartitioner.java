package org.nucleispark.job.segment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nucleispark.io.InputFile;

/**
 * Plans which inputs each Spark partition processes: all frames of one sequence (experiment, well,
 * field, channel) in one partition and in frame order, so a partition can follow a sequence through
 * time (tracking); partitions balanced by pixel count.
 *
 * <p>Pixel counts are unknown until a file is decoded, so the file size stands in for them. That is
 * close for one corpus's uncompressed or uniformly compressed TIFFs (and a multi-page stack's size
 * covers all its pages), and rough across formats: a PNG of a mostly dark field compresses far better
 * than a crowded one. Files outside any sequence are groups of their own.
 *
 * <p>Balancing is longest-processing-time-first: groups by decreasing weight, each into the lightest
 * partition so far; it is within 4/3 of the best possible makespan (Graham 1969). A sequence heavier
 * than total/partitions necessarily makes its partition the longest.
 */
final class SequencePartitioner {
    /**
     * About the most inputs a default partition holds. A task is Spark's unit of retry: 1,000,000
     * images on 64 cores at 4 partitions per core are partitions of ~3,900 images, 3.6 hours of one
     * CPU core's ensemble work (3.3 s an image) lost to one failed attempt; 256 images are about 15
     * minutes on a CPU core, a minute on a GPU executor, and thousands of tasks cost Spark little.
     */
    static final int MAX_DEFAULT_FILES = 256;

    private SequencePartitioner() {}

    /**
     * Several partitions per core, so that work balances and progress moves, and for big corpora one per
     * {@link #MAX_DEFAULT_FILES} inputs (partitions are balanced by bytes, so one of small files holds
     * more than average); never more than the inputs.
     */
    static int defaultCount(int inputs, int parallelism) {
        int perCore = Math.max(1, parallelism) * 4;
        int bySize = (int) Math.min(Integer.MAX_VALUE, ((long) inputs + MAX_DEFAULT_FILES - 1) / MAX_DEFAULT_FILES);
        return Math.max(1, Math.min(inputs, Math.max(perCore, bySize)));
    }

    /**
     * @param partitions the most partitions wanted; fewer are returned when there are fewer groups
     * @return the inputs of each partition, in processing order; none is empty
     */
    static List<List<InputFile>> plan(List<InputFile> inputs, int partitions) {
        List<List<InputFile>> groups = groups(inputs);
        int n = Math.max(1, Math.min(partitions, groups.size()));
        List<List<InputFile>> bins = new ArrayList<>(n);
        long[] load = new long[n];
        for (int i = 0; i < n; i++) bins.add(new ArrayList<>());
        List<List<InputFile>> heaviestFirst = new ArrayList<>(groups);
        heaviestFirst.sort(Comparator.comparingLong(SequencePartitioner::weight).reversed()); // stable: ties keep key order
        for (List<InputFile> g : heaviestFirst) {
            int lightest = 0;
            for (int i = 1; i < n; i++) if (load[i] < load[lightest]) lightest = i;
            bins.get(lightest).addAll(g);
            load[lightest] += weight(g);
        }
        bins.removeIf(List::isEmpty);
        return bins;
    }

    /** Sequences (sorted by frame, then id) and single files, ordered by key for a deterministic plan. */
    static List<List<InputFile>> groups(List<InputFile> inputs) {
        Map<String, List<InputFile>> bySequence = new TreeMap<>();
        Map<String, List<InputFile>> singles = new LinkedHashMap<>();
        for (InputFile f : inputs) {
            if (f.sequence().hasSequenceKey()) {
                bySequence.computeIfAbsent(f.sequence().sequenceKey(), k -> new ArrayList<>()).add(f);
            } else {
                singles.put(f.imageId(), new ArrayList<>(List.of(f)));
            }
        }
        Comparator<InputFile> inTime = Comparator
                .comparing((InputFile f) -> f.sequence().frame(), Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(InputFile::imageId);
        List<List<InputFile>> out = new ArrayList<>();
        for (List<InputFile> g : bySequence.values()) {
            g.sort(inTime);
            out.add(g);
        }
        out.addAll(singles.values());
        return out;
    }

    /** File bytes as the pixel-count proxy; at least 1 so that empty or missing files still spread. */
    static long weight(List<InputFile> group) {
        long w = 0;
        for (InputFile f : group) w += Math.max(1, f.size());
        return w;
    }
}
