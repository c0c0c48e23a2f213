package org.nucleispark.bench;

import org.nucleispark.track.Spot;
import org.nucleispark.track.TrackOptions;
import org.nucleispark.track.Tracker;
import org.nucleispark.track.Tracking;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Links N nuclei per frame over F frames (default 10,000 × 100) and prints the seconds: the issue's
 * "seconds, not minutes" bar. Nuclei sit on a jittered grid 30 px apart (about a 3,000² px field for
 * 10,000) and random-walk 2 px per frame; 0.5 % per frame are dropped, so gap closing has work.
 * Usage: LinkingBenchmark [nucleiPerFrame] [frames]
 */
public final class LinkingBenchmark {
    private LinkingBenchmark() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Random random = new Random(5);
        int side = (int) Math.ceil(Math.sqrt(n));
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) { x[i] = (i % side) * 30 + random.nextDouble() * 10; y[i] = (i / side) * 30 + random.nextDouble() * 10; }
        List<Spot> spots = new ArrayList<>(n * frames);
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < n; i++) {
                x[i] += random.nextGaussian() * 2; y[i] += random.nextGaussian() * 2;
                if (random.nextDouble() >= 0.005) spots.add(new Spot(t, x[i], y[i], 150));
            }
        }
        long start = System.nanoTime();
        Tracking tracking = new Tracker(TrackOptions.defaults()).link(spots);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("linked %,d spots (%,d per frame, %d frames) into %,d tracks in %.2f s (link distance %.1f px)%n",
                spots.size(), n, frames, tracking.tracks().size(), seconds, tracking.linkDistance());
    }
}
