package org.nucleispark.image;

import java.awt.Point;
import java.awt.Rectangle;
import java.awt.color.ColorSpace;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import java.io.File;
import javax.imageio.stream.FileImageOutputStream;
import java.nio.file.Files;
import javax.imageio.IIOImage;
import java.io.IOException;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;

/**
 * An 8-bit grey image of bright discs ("nuclei") on a dim noisy background, of any size, whose pixels
 * are computed on demand from their coordinates: javax.imageio writers pull it strip by strip or tile
 * by tile, so a 20000² test image is written without 20000² bytes in memory. For benchmarks and
 * tests of block-by-block segmentation, where the right answer must be known.
 *
 * <p>One disc per cell of a square grid whose cells are offset by half a cell, so that cell edges do
 * not fall on multiples of the usual block sizes and many discs straddle block edges and corners.
 * Each disc's centre is jittered within its cell, deterministically from the cell's coordinates, and
 * never so far that it leaves the cell. Cells whose centre lies left of {@code blankFraction} × width
 * have no disc (an empty field, to test that its noise is not stretched into nuclei).
 */
public final class SyntheticDiscs implements RenderedImage {
    private static final int TILE = 512;
    private static final int BACKGROUND = 30;
    private static final int NUCLEUS = 170;
    private static final int NOISE = 12;

    private final int width;
    private final int height;
    private final int spacing;
    private final double radius;
    private final double blankFraction;
    private final SampleModel tileModel = new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, TILE, TILE, 1, TILE, new int[] {0});
    private final ColorModel colorModel = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), new int[] {8},
            false, false, ColorModel.OPAQUE, DataBuffer.TYPE_BYTE);

    /** @param spacing grid cell side, px; must exceed 2 × radius + 4 */
    public SyntheticDiscs(int width, int height, int spacing, double radius, double blankFraction) {
        if (spacing < 2 * radius + 4) throw new IllegalArgumentException("spacing " + spacing + " too small for radius " + radius);
        this.width = width;
        this.height = height;
        this.spacing = spacing;
        this.radius = radius;
        this.blankFraction = blankFraction;
    }

    /** Disc centres (x, y) of every disc that lies wholly inside the image, in row-major cell order. */
    public List<double[]> discs() {
        List<double[]> out = new ArrayList<>();
        for (int cy = -1; cy <= height / spacing + 1; cy++) {
            for (int cx = -1; cx <= width / spacing + 1; cx++) {
                double[] c = centre(cx, cy);
                if (c != null && c[0] - radius >= 1 && c[1] - radius >= 1 && c[0] + radius <= width - 2 && c[1] + radius <= height - 2) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /**
     * Writes the image as an LZW TIFF in 512² tiles ({@code "tiff"}) or as a PNG ({@code "png"}); the
     * writers pull pixels a tile or a row at a time, so memory does not grow with the image.
     */
    public void write(File file, String format) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (format.equals("tiff")) {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType("LZW");
            param.setTilingMode(ImageWriteParam.MODE_EXPLICIT);
            param.setTiling(TILE, TILE, 0, 0);
        }
        Files.deleteIfExists(file.toPath());
        try (ImageOutputStream out = new FileImageOutputStream(file)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(this, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    public double radius() {
        return radius;
    }

    /** Cell (cx, cy) covers [cx·s − s/2, cx·s + s/2) in x; null when the cell has no disc. */
    private double[] centre(int cx, int cy) {
        double x = (double) cx * spacing;
        double y = (double) cy * spacing;
        if (x < blankFraction * width) return null;
        double room = spacing / 2.0 - radius - 2;
        int hash = mix(cx * 73856093 ^ cy * 19349663);
        double jx = ((hash & 0xFFFF) / 65535.0 * 2 - 1) * room;
        double jy = (((hash >>> 16) & 0xFFFF) / 65535.0 * 2 - 1) * room;
        return new double[] {x + jx, y + jy};
    }

    private int sample(int x, int y) {
        int cx = Math.floorDiv(x + spacing / 2, spacing);
        int cy = Math.floorDiv(y + spacing / 2, spacing);
        double[] c = centre(cx, cy);
        boolean in = c != null && (x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]) < radius * radius;
        int h = mix(x * 0x27d4eb2d ^ y * 0x165667b1);
        int noise = (h & 0xFF) % (NOISE + 1) + ((h >>> 8) & 0xFF) % (NOISE + 1) - NOISE; // triangular in [-NOISE, NOISE]
        return Math.max(0, Math.min(255, (in ? NUCLEUS : BACKGROUND) + noise));
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    @Override
    public Raster getData(Rectangle r) {
        WritableRaster out = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, r.width, r.height, 1, new Point(r.x, r.y));
        return copyData(out);
    }

    @Override
    public WritableRaster copyData(WritableRaster raster) {
        if (raster == null) raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 1, null);
        Rectangle r = raster.getBounds().intersection(new Rectangle(0, 0, width, height));
        int[] row = new int[r.width];
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int i = 0; i < r.width; i++) row[i] = sample(r.x + i, y);
            raster.setSamples(r.x, y, r.width, 1, 0, row);
        }
        return raster;
    }

    @Override
    public Raster getData() {
        return getData(new Rectangle(0, 0, width, height));
    }

    @Override
    public Raster getTile(int tileX, int tileY) {
        return getData(new Rectangle(tileX * TILE, tileY * TILE, TILE, TILE).intersection(new Rectangle(0, 0, width, height)));
    }

    @Override public Vector<RenderedImage> getSources() { return null; }
    @Override public Object getProperty(String name) { return java.awt.Image.UndefinedProperty; }
    @Override public String[] getPropertyNames() { return null; }
    @Override public ColorModel getColorModel() { return colorModel; }
    @Override public SampleModel getSampleModel() { return tileModel; }
    @Override public int getWidth() { return width; }
    @Override public int getHeight() { return height; }
    @Override public int getMinX() { return 0; }
    @Override public int getMinY() { return 0; }
    @Override public int getNumXTiles() { return (width + TILE - 1) / TILE; }
    @Override public int getNumYTiles() { return (height + TILE - 1) / TILE; }
    @Override public int getMinTileX() { return 0; }
    @Override public int getMinTileY() { return 0; }
    @Override public int getTileWidth() { return TILE; }
    @Override public int getTileHeight() { return TILE; }
    @Override public int getTileGridXOffset() { return 0; }
    @Override public int getTileGridYOffset() { return 0; }
}
