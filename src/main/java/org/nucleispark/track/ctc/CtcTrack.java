package org.nucleispark.track.ctc;

/**
 * One line of a CTC track file ({@code man_track.txt} / {@code res_track.txt}): label L lives in
 * frames B..E without gaps, P is its parent's label or 0. (The CTC writes a nucleus lost for a few
 * frames as a new label whose parent is the label before the gap.)
 */
public record CtcTrack(int label, int begin, int end, int parent) {
    public String line() {
        return label + " " + begin + " " + end + " " + parent;
    }

    public static CtcTrack parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length != 4) throw new IllegalArgumentException("not an 'L B E P' line: " + line);
        return new CtcTrack(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]));
    }
}
