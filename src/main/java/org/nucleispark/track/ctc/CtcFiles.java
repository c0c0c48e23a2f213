package org.nucleispark.track.ctc;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.nucleispark.image.LabelImage;

/**
 * The CTC's files: 16-bit label TIFFs ({@code maskTTT.tif} for results, {@code TRA/man_trackTTT.tif}
 * and {@code SEG/man_segTTT.tif} for ground truth) and the {@code L B E P} track files. TIFFs go through
 * the JDK's own ImageIO TIFF plugin (Java 9+), so no extra dependency.
 */
public final class CtcFiles {
    private CtcFiles() {}

    /** CTC frame numbers have 3 digits, 4 when the sequence has 1000 frames or more. */
    public static int digits(int lastFrame) {
        return lastFrame >= 999 ? 4 : 3;
    }

    public static void writeLabels(Path file, LabelImage labels) throws IOException {
        BufferedImage image = new BufferedImage(labels.width(), labels.height(), BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = image.getRaster();
        int[] px = labels.labels();
        for (int i = 0; i < px.length; i++) {
            if (px[i] < 0 || px[i] > 65535) throw new IllegalArgumentException("label " + px[i] + " does not fit 16 bits");
        }
        raster.setSamples(0, 0, labels.width(), labels.height(), 0, px);
        write16(file, image);
    }

    /** A 16-bit grey image (intensities, not labels). */
    public static void writeGrey16(Path file, int width, int height, int[] values) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSamples(0, 0, width, height, 0, values);
        write16(file, image);
    }

    private static void write16(Path file, BufferedImage image) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        if (!ImageIO.write(image, "tiff", file.toFile())) throw new IOException("no TIFF writer");
    }

    public static LabelImage readLabels(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) throw new IOException("not a readable TIFF: " + file);
        Raster r = image.getRaster();
        return new LabelImage(r.getWidth(), r.getHeight(), r.getSamples(0, 0, r.getWidth(), r.getHeight(), 0, (int[]) null));
    }

    public static void writeTracks(Path file, List<CtcTrack> tracks) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (CtcTrack t : tracks) sb.append(t.line()).append('\n');
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, sb.toString(), StandardCharsets.US_ASCII);
    }

    public static List<CtcTrack> readTracks(Path file) throws IOException {
        List<CtcTrack> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) if (!line.isBlank()) out.add(CtcTrack.parse(line));
        return out;
    }

    /** Writes a result in the CTC's result layout: maskTTT.tif per frame and res_track.txt. */
    public static void writeResult(Path dir, CtcSequence result) throws IOException {
        int digits = digits(result.frames().isEmpty() ? 0 : result.frames().lastKey());
        for (var e : result.frames().entrySet()) {
            writeLabels(dir.resolve("mask" + pad(e.getKey(), digits) + ".tif"), e.getValue());
        }
        writeTracks(dir.resolve("res_track.txt"), result.tracks());
    }

    public static CtcSequence readResult(Path dir) throws IOException {
        return new CtcSequence(readFrames(dir, "mask"), readTracks(dir.resolve("res_track.txt")));
    }

    /** Writes ground truth in the CTC's layout: TRA/man_trackTTT.tif, TRA/man_track.txt, SEG/man_segTTT.tif. */
    public static void writeGroundTruth(Path dir, CtcSequence truth) throws IOException {
        int digits = digits(truth.frames().isEmpty() ? 0 : truth.frames().lastKey());
        for (var e : truth.frames().entrySet()) {
            writeLabels(dir.resolve("TRA").resolve("man_track" + pad(e.getKey(), digits) + ".tif"), e.getValue());
            writeLabels(dir.resolve("SEG").resolve("man_seg" + pad(e.getKey(), digits) + ".tif"), e.getValue());
        }
        writeTracks(dir.resolve("TRA").resolve("man_track.txt"), truth.tracks());
    }

    public static CtcSequence readGroundTruth(Path dir) throws IOException {
        return new CtcSequence(readFrames(dir.resolve("TRA"), "man_track"), readTracks(dir.resolve("TRA").resolve("man_track.txt")));
    }

    /** SEG/man_segTTT.tif frames (often a subset of the frames); empty when there is no SEG folder. */
    public static SortedMap<Integer, LabelImage> readSegmentation(Path dir) throws IOException {
        Path seg = dir.resolve("SEG");
        return Files.isDirectory(seg) ? readFrames(seg, "man_seg") : new TreeMap<>();
    }

    private static SortedMap<Integer, LabelImage> readFrames(Path dir, String prefix) throws IOException {
        Pattern name = Pattern.compile(Pattern.quote(prefix) + "(\\d{3,4})\\.tiff?");
        SortedMap<Integer, LabelImage> out = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = name.matcher(p.getFileName().toString());
                if (m.matches()) out.put(Integer.parseInt(m.group(1)), readLabels(p));
            }
        }
        return out;
    }

    public static String pad(int frame, int digits) {
        return String.format("%0" + digits + "d", frame);
    }
}
