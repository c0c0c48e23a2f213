package org.nucleispark.track.ctc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.nucleispark.image.LabelImage;
import org.nucleispark.track.Spot;
import org.nucleispark.track.TrackOptions;
import org.nucleispark.track.Tracker;
import org.nucleispark.track.Tracking;

/**
 * Links a synthetic sequence's ground-truth objects (optionally dropping a fraction, as a segmenter
 * misses nuclei) and scores the linking with the CTC measures: what linking alone achieves, apart
 * from segmentation. {@code main} writes a sequence in CTC layout ({@code DIR/tTTT.tif}, {@code
 * DIR/GT/TRA}, {@code DIR/GT/SEG}) and prints DET/TRA per setting.
 */
public final class SyntheticTracking {
    private SyntheticTracking() {}

    /** Spots of every object in the label frames, with (frame, label) → spot index. */
    public record Objects(List<Spot> spots, List<int[]> frameAndLabel) {}

    public static Objects objects(SortedMap<Integer, LabelImage> frames, double dropFraction, long seed) {
        Random random = new Random(seed);
        List<Spot> spots = new ArrayList<>();
        List<int[]> keys = new ArrayList<>();
        for (var e : frames.entrySet()) {
            LabelImage l = e.getValue();
            Map<Integer, double[]> sums = new TreeMap<>();
            for (int y = 0; y < l.height(); y++) for (int x = 0; x < l.width(); x++) {
                int v = l.get(x, y);
                if (v == 0) continue;
                double[] s = sums.computeIfAbsent(v, k -> new double[3]);
                s[0] += x; s[1] += y; s[2]++;
            }
            for (var s : sums.entrySet()) {
                if (random.nextDouble() < dropFraction) continue;
                double[] v = s.getValue();
                spots.add(new Spot(e.getKey(), v[0] / v[2], v[1] / v[2], v[2]));
                keys.add(new int[] {e.getKey(), s.getKey()});
            }
        }
        return new Objects(spots, keys);
    }

    /** The linking as a CTC result: the objects' own masks relabelled with their CTC labels. */
    public static CtcSequence asResult(SortedMap<Integer, LabelImage> frames, Objects objects, Tracking tracking) {
        CtcTracks.Labels labels = CtcTracks.of(objects.spots(), tracking);
        Map<Integer, Map<Integer, Integer>> relabel = new HashMap<>();
        for (int i = 0; i < objects.spots().size(); i++) {
            int[] k = objects.frameAndLabel().get(i);
            relabel.computeIfAbsent(k[0], f -> new HashMap<>()).put(k[1], labels.ctcLabelOfSpot()[i]);
        }
        SortedMap<Integer, LabelImage> out = new TreeMap<>();
        for (var e : frames.entrySet()) {
            Map<Integer, Integer> map = relabel.getOrDefault(e.getKey(), Map.of());
            int[] src = e.getValue().labels(), dst = new int[src.length];
            for (int i = 0; i < src.length; i++) dst[i] = src[i] == 0 ? 0 : map.getOrDefault(src[i], 0);
            out.put(e.getKey(), new LabelImage(e.getValue().width(), e.getValue().height(), dst));
        }
        return new CtcSequence(out, labels.tracks());
    }

    public static CtcScores score(SyntheticTimeLapse.Result seq, TrackOptions options, double dropFraction, long seed) {
        SortedMap<Integer, LabelImage> truth = seq.truth().frames();
        Objects objects = objects(truth, dropFraction, seed);
        Tracking tracking = new Tracker(options).link(objects.spots());
        return CtcEvaluator.evaluate(seq.truth(), asResult(truth, objects, tracking), truth);
    }

    public static void write(Path dir, SyntheticTimeLapse.Result seq) throws IOException {
        int digits = CtcFiles.digits(seq.frames().lastKey());
        for (var e : seq.frames().entrySet()) {
            CtcFiles.writeGrey16(dir.resolve("t" + CtcFiles.pad(e.getKey(), digits) + ".tif"), seq.width(), seq.height(), e.getValue());
        }
        CtcFiles.writeGroundTruth(dir.resolve("GT"), seq.truth());
    }

    /** Usage: SyntheticTracking [OUTPUT_DIR] — writes the sample (when given) and prints scores per setting. */
    public static void main(String[] args) throws IOException {
        SyntheticTimeLapse.Result sample = SyntheticTimeLapse.generate(SyntheticTimeLapse.Options.small(1));
        if (args.length > 0) {
            write(Path.of(args[0]), sample);
            System.out.println("wrote " + args[0] + ": " + sample.frames().size() + " frames, " + sample.truth().tracks().size() + " tracks");
        }
        SyntheticTimeLapse.Options big = new SyntheticTimeLapse.Options(512, 512, 60, 120, 7, 0.02, 0.5, 0.01, 7);
        SyntheticTimeLapse.Result seq = SyntheticTimeLapse.generate(big);
        long divisions = seq.truth().tracks().stream().filter(t -> t.parent() > 0).count();
        System.out.printf("sequence 512x512, 60 frames, %d CTC tracks, %d with a parent%n", seq.truth().tracks().size(), divisions);
        for (double drop : new double[] {0, 0.03}) {
            for (int gap : new int[] {0, 2}) {
                for (boolean div : new boolean[] {false, true}) {
                    CtcScores s = score(seq, new TrackOptions(0, gap, div, 0), drop, 3);
                    System.out.printf("drop %.2f  maxGap %d  divisions %-5s  %s%n", drop, gap, div, s.summary());
                }
            }
        }
    }
}
