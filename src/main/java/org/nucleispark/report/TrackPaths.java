package org.nucleispark.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * Tracks drawn over a frame: each track's centroid path as a line in its own colour, a dot where it
 * starts, its id beside the dot. Small frames are enlarged (nearest neighbour) so paths stay visible.
 */
public final class TrackPaths {
    private static final int MIN_SIDE = 512;

    private TrackPaths() {}

    /**
     * @param rgb   the frame as {@link DisplayImage#rgb} gives it
     * @param paths track id → {x[], y[]} centroids in frame order (pixel coordinates of the frame)
     */
    public static byte[] png(byte[] rgb, int w, int h, Map<Integer, double[][]> paths) {
        int scale = Math.max(1, MIN_SIDE / Math.max(w, h));
        BufferedImage frame = DisplayImage.buffered(rgb, w, h);
        BufferedImage out = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(frame, 0, 0, w * scale, h * scale, null);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float stroke = Math.max(2f, Math.max(w, h) * scale / 300f);
        g.setStroke(new BasicStroke(stroke, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.round(stroke * 6)));
        int i = 0;
        for (Map.Entry<Integer, double[][]> e : paths.entrySet()) {
            Color c = TRACK_COLOURS[i++ % TRACK_COLOURS.length];
            double[] x = e.getValue()[0], y = e.getValue()[1];
            Path2D.Double line = new Path2D.Double();
            for (int k = 0; k < x.length; k++) {
                double px = (x[k] + 0.5) * scale, py = (y[k] + 0.5) * scale;
                if (k == 0) line.moveTo(px, py);
                else line.lineTo(px, py);
            }
            g.setColor(c);
            g.draw(line);
            double r = stroke * 2;
            double sx = (x[0] + 0.5) * scale, sy = (y[0] + 0.5) * scale;
            g.fill(new Ellipse2D.Double(sx - r, sy - r, 2 * r, 2 * r));
            g.drawString(Integer.toString(e.getKey()), (float) (sx + r + 1), (float) (sy - r));
        }
        g.dispose();
        return DisplayImage.png(out);
    }

    /** Bright, distinct colours that show on dark fluorescence and light brightfield frames. */
    private static final Color[] TRACK_COLOURS = {
        new Color(0xFF1744), new Color(0x00E676), new Color(0x2979FF), new Color(0xFFEA00), new Color(0xD500F9),
        new Color(0x00E5FF), new Color(0xFF9100), new Color(0xC6FF00), new Color(0xF50057), new Color(0x1DE9B6),
        new Color(0x651FFF), new Color(0xFFC400)};
}
