package org.nucleispark.report;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.nucleispark.image.Image;
import org.nucleispark.image.PercentileNormaliser;

/**
 * Images as a person should see them: 8-bit RGB, contrast stretched per image between the 0.5th and
 * 99.5th percentile (a 16-bit fluorescence image is mostly near-black when shown raw), grey replicated
 * to three channels, colours kept in proportion (one stretch for all channels).
 */
public final class DisplayImage {
    private static final PercentileNormaliser STRETCH = new PercentileNormaliser(0.5, 99.5);

    private DisplayImage() {}

    /** Interleaved RGB bytes, row-major, {@code 3 * width * height}. */
    public static byte[] rgb(Image image) {
        float[][] planes = STRETCH.normalise(image, 3);
        int n = image.width() * image.height();
        byte[] out = new byte[3 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) out[3 * i + c] = (byte) Math.round(planes[c][i] * 255f);
        }
        return out;
    }

    public static BufferedImage buffered(byte[] rgb, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (rgb[3 * i] & 0xFF) << 16 | (rgb[3 * i + 1] & 0xFF) << 8 | (rgb[3 * i + 2] & 0xFF);
        }
        img.setRGB(0, 0, w, h, px, 0, w);
        return img;
    }

    /** The image scaled (bilinear) so that its longer side is {@code maxSide} px; never enlarged. */
    public static BufferedImage thumbnail(BufferedImage img, int maxSide) {
        double s = Math.min(1.0, (double) maxSide / Math.max(img.getWidth(), img.getHeight()));
        int w = Math.max(1, (int) Math.round(img.getWidth() * s));
        int h = Math.max(1, (int) Math.round(img.getHeight() * s));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    public static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException("writing a PNG to memory failed", e);
        }
        return out.toByteArray();
    }
}
