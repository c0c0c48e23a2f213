package org.nucleispark.track.ctc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.nucleispark.image.LabelImage;

/**
 * A synthetic fluorescence time-lapse with an exact lineage: disc nuclei that drift with persistent
 * random velocities, push apart when they touch, divide (the mother's label ends, two smaller
 * daughters start beside it), leave through the border or enter from it, and blink (missing from
 * one frame; the CTC writes the reappearance as a new label whose parent is the old one). Frames are
 * 16-bit with Gaussian noise. The same seed gives the same sequence.
 */
public final class SyntheticTimeLapse {
    public record Options(int width, int height, int frames, int nuclei, double radius, double divisionRate,
                          double enterRate, double blinkRate, long seed) {
        public static Options small(long seed) {
            return new Options(128, 128, 20, 10, 6, 0.02, 0.15, 0.01, seed);
        }
    }

    /** frames: the 16-bit intensities per frame (row-major); truth: CTC ground truth. */
    public record Result(SortedMap<Integer, int[]> frames, CtcSequence truth, int width, int height) {}

    private static final class Nucleus {
        double x, y, vx, vy, r;
        int label, age, intensity, parentLabel;
        boolean blinked;
    }

    public static Result generate(Options o) {
        Random random = new Random(o.seed());
        List<Nucleus> alive = new ArrayList<>();
        Map<Integer, int[]> lineage = new HashMap<>(); // label → {begin, end, parent}
        int[] nextLabel = {1};
        for (int i = 0; i < o.nuclei(); i++) {
            alive.add(newNucleus(random, o, o.radius() + o.radius() * 3 + random.nextDouble() * (o.width() - 8 * o.radius()),
                    o.radius() * 4 + random.nextDouble() * (o.height() - 8 * o.radius())));
        }
        SortedMap<Integer, int[]> images = new TreeMap<>();
        SortedMap<Integer, LabelImage> labels = new TreeMap<>();
        for (int t = 0; t < o.frames(); t++) {
            int[] label = new int[o.width() * o.height()];
            int[] grey = new int[label.length];
            for (Nucleus n : alive) {
                if (n.age > 0 && random.nextDouble() < o.blinkRate()) { n.blinked = true; continue; }
                if (n.label == 0 || n.blinked) {
                    int parent = n.label == 0 ? n.parentLabel : n.label;
                    n.label = nextLabel[0]++;
                    lineage.put(n.label, new int[] {t, t, parent});
                    n.blinked = false;
                }
                paint(n, label, grey, o);
                lineage.get(n.label)[1] = t;
            }
            for (int i = 0; i < grey.length; i++) {
                double v = 500 + grey[i] + random.nextGaussian() * 60;
                grey[i] = (int) Math.max(0, Math.min(65535, Math.round(v)));
            }
            images.put(t, grey);
            labels.put(t, new LabelImage(o.width(), o.height(), label));
            step(alive, random, o);
        }
        // lineage lines from what was actually painted
        List<CtcTrack> tracks = new ArrayList<>();
        lineage.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> tracks.add(new CtcTrack(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2])));
        return new Result(images, new CtcSequence(labels, tracks), o.width(), o.height());
    }

    private static Nucleus newNucleus(Random random, Options o, double x, double y) {
        Nucleus n = new Nucleus();
        n.x = x; n.y = y;
        double a = random.nextDouble() * 2 * Math.PI;
        n.vx = Math.cos(a) * 1.5; n.vy = Math.sin(a) * 1.5;
        n.r = o.radius() * (0.85 + 0.3 * random.nextDouble());
        n.intensity = 1200 + random.nextInt(1200);
        return n;
    }

    private static void paint(Nucleus n, int[] label, int[] grey, Options o) {
        int x0 = (int) Math.floor(n.x - n.r), x1 = (int) Math.ceil(n.x + n.r);
        int y0 = (int) Math.floor(n.y - n.r), y1 = (int) Math.ceil(n.y + n.r);
        for (int y = Math.max(0, y0); y <= Math.min(o.height() - 1, y1); y++) {
            for (int x = Math.max(0, x0); x <= Math.min(o.width() - 1, x1); x++) {
                double dx = x - n.x, dy = y - n.y;
                if (dx * dx + dy * dy <= n.r * n.r && label[y * o.width() + x] == 0) {
                    label[y * o.width() + x] = n.label;
                    grey[y * o.width() + x] = n.intensity;
                }
            }
        }
    }

    private static void step(List<Nucleus> alive, Random random, Options o) {
        List<Nucleus> next = new ArrayList<>();
        for (Nucleus n : alive) {
            n.age++;
            if (n.age > 8 && !n.blinked && random.nextDouble() < o.divisionRate()) {
                double a = random.nextDouble() * Math.PI;
                for (int s = -1; s <= 1; s += 2) {
                    Nucleus d = newNucleus(random, o, n.x + s * Math.cos(a) * n.r * 0.8, n.y + s * Math.sin(a) * n.r * 0.8);
                    d.r = n.r * 0.8;
                    d.vx = s * Math.cos(a) * 1.0; d.vy = s * Math.sin(a) * 1.0;
                    next.add(d); // label 0: takes a new label, parent set below
                    d.label = 0;
                    d.age = 0;
                    d.intensity = n.intensity;
                    d.blinked = false;
                    d.parentLabel = n.label;
                }
                continue;
            }
            n.vx = 0.8 * n.vx + random.nextGaussian() * 0.6;
            n.vy = 0.8 * n.vy + random.nextGaussian() * 0.6;
            n.x += n.vx; n.y += n.vy;
            if (n.x < 0 || n.y < 0 || n.x >= o.width() || n.y >= o.height()) continue; // left the field
            next.add(n);
        }
        // touching nuclei push apart, so that they touch but rarely hide one another
        for (int i = 0; i < next.size(); i++) for (int j = i + 1; j < next.size(); j++) {
            Nucleus a = next.get(i), b = next.get(j);
            double dx = b.x - a.x, dy = b.y - a.y, d = Math.hypot(dx, dy), min = 0.9 * (a.r + b.r);
            if (d < min && d > 1e-6) {
                double push = (min - d) / 2;
                a.x -= dx / d * push; a.y -= dy / d * push; b.x += dx / d * push; b.y += dy / d * push;
            }
        }
        if (random.nextDouble() < o.enterRate()) {
            boolean vertical = random.nextBoolean();
            double along = random.nextDouble() * (vertical ? o.height() : o.width());
            Nucleus n = newNucleus(random, o, vertical ? 0 : along, vertical ? along : 0);
            n.vx = vertical ? 2 : 0; n.vy = vertical ? 0 : 2;
            next.add(n);
        }
        alive.clear();
        alive.addAll(next);
    }
}
