package org.nucleispark.segment;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a fully convolutional network over an image of any size: an image whose padded pixels (times
 * its TTA flips, which share an engine call) fit the pass budget runs in one pass, padded to the
 * network's size multiple (never resized, which would change nucleus scale), as training validated
 * it; larger ones are cut into overlapping tiles whose outputs are blended with weights that fall off towards each tile
 * edge, so no seam shows where tiles meet. Optional test-time augmentation runs each tile also
 * flipped left-right, up-down and both (4 flips), or only rotated by 180° (2 flips: the view least like
 * the original), un-flips the outputs and averages them.
 *
 * <p>Plain Java over arrays: the network is a {@link BatchModel}, so the tiling and blending maths
 * are tested without a deep-learning engine. Padding mirrors the image (numpy/torch 'reflect'), as
 * the training crops were padded.
 */
public final class TiledPredictor {
    /** A network run on a batch: input n×c×h×w, output n×outChannels×h×w, both flat row-major. */
    public interface BatchModel {
        float[] run(float[] input, int n, int channels, int height, int width);
    }

    private final BatchModel model;
    private final int outChannels;
    private final int tile;
    private final int overlap;
    private final int multiple;
    /** Flip codes run per tile: bit 0 mirrors left-right, bit 1 up-down; {0} without TTA. */
    private final int[] flips;
    private final int batchSize;
    private final long passPixels;

    /** Tiles only (no whole-image passes beyond one tile). */
    public TiledPredictor(BatchModel model, int outChannels, int tile, int overlap, int multiple, boolean tta, int batchSize) {
        this(model, outChannels, tile, overlap, multiple, tta, batchSize, 0);
    }

    /**
     * @param passPixels the most input pixels one engine call may hold for a whole-image pass (padded
     *                   width × height × TTA flips); an image over it is tiled. 0 = always tile. A whole
     *                   pass skips the tiles' overlaps and blending: 1.5× faster on ONNX Runtime, slower on
     *                   libtorch on a CPU (docs/benchmarks.md); the budget bounds the engine's activation memory.
     */
    public TiledPredictor(BatchModel model, int outChannels, int tile, int overlap, int multiple, boolean tta, int batchSize,
                          long passPixels) {
        this(model, outChannels, tile, overlap, multiple, tta ? 4 : 1, batchSize, passPixels);
    }

    /** @param ttaFlips views averaged per tile: 1 (no TTA), 2 (as is and rotated by 180°) or 4 (every flip) */
    public TiledPredictor(BatchModel model, int outChannels, int tile, int overlap, int multiple, int ttaFlips, int batchSize,
                          long passPixels) {
        if (tile % multiple != 0) throw new IllegalArgumentException("tile " + tile + " is not a multiple of " + multiple);
        if (overlap < 0 || overlap >= tile / 2) throw new IllegalArgumentException("overlap must be in [0, tile/2), got " + overlap);
        this.model = model;
        this.outChannels = outChannels;
        this.tile = tile;
        this.overlap = overlap;
        this.multiple = multiple;
        this.flips = flipCodes(ttaFlips);
        this.batchSize = Math.max(1, batchSize);
        if (passPixels < 0) throw new IllegalArgumentException("pass pixels must be >= 0, got " + passPixels);
        this.passPixels = passPixels;
    }

    /** @param planes normalised input channels, each w*h row-major; returns outChannels planes. */
    public float[][] predict(float[][] planes, int w, int h) {
        int pw = roundUp(w, multiple), ph = roundUp(h, multiple);
        int variants = flips.length;
        boolean whole = (long) pw * ph * variants <= passPixels;
        int tw = whole ? pw : Math.min(tile, pw);
        int th = whole ? ph : Math.min(tile, ph);
        List<int[]> origins = new ArrayList<>();
        for (int y : starts(h, th)) for (int x : starts(w, tw)) origins.add(new int[] {x, y});
        boolean single = origins.size() == 1;
        float[] weight = single ? null : blendWeights(tw, th);
        float[][] acc = new float[outChannels][w * h];
        float[] wsum = new float[w * h];
        int c = planes.length;
        int tilesPerBatch = Math.max(1, batchSize / variants);
        for (int start = 0; start < origins.size(); start += tilesPerBatch) {
            int n = Math.min(tilesPerBatch, origins.size() - start);
            float[] input = new float[n * variants * c * tw * th];
            for (int t = 0; t < n; t++) {
                int[] o = origins.get(start + t);
                for (int v = 0; v < variants; v++) {
                    extract(planes, w, h, o[0], o[1], tw, th, flips[v], input, ((t * variants + v) * c) * tw * th);
                }
            }
            float[] out = model.run(input, n * variants, c, th, tw);
            int plane = tw * th;
            for (int t = 0; t < n; t++) {
                int[] o = origins.get(start + t);
                for (int k = 0; k < outChannels; k++) {
                    for (int ty = 0; ty < th; ty++) {
                        int y = o[1] + ty;
                        if (y >= h) break;
                        for (int tx = 0; tx < tw; tx++) {
                            int x = o[0] + tx;
                            if (x >= w) break;
                            float sum = 0;
                            for (int v = 0; v < variants; v++) {
                                // un-flip: variant v's pixel for (tx, ty) sits at its flipped position
                                int sx = (flips[v] & 1) != 0 ? tw - 1 - tx : tx;
                                int sy = (flips[v] & 2) != 0 ? th - 1 - ty : ty;
                                sum += out[((t * variants + v) * outChannels + k) * plane + sy * tw + sx];
                            }
                            float wt = single ? 1f : weight[ty * tw + tx];
                            acc[k][y * w + x] += wt * sum / variants;
                            if (k == 0) wsum[y * w + x] += wt;
                        }
                    }
                }
            }
        }
        for (int k = 0; k < outChannels; k++) {
            float[] a = acc[k];
            for (int i = 0; i < a.length; i++) a[i] /= wsum[i];
        }
        return acc;
    }

    static int[] flipCodes(int ttaFlips) {
        return switch (ttaFlips) {
            case 1 -> new int[] {0};
            case 2 -> new int[] {0, 3};
            case 4 -> new int[] {0, 1, 2, 3};
            default -> throw new IllegalArgumentException("TTA flips must be 1, 2 or 4, not " + ttaFlips);
        };
    }

    /** Tile origins along one axis: stride tile-overlap, the last tile flush with the far edge. */
    int[] starts(int size, int tileSize) {
        if (size <= tileSize) return new int[] {0};
        int stride = tileSize - overlap;
        List<Integer> s = new ArrayList<>();
        for (int o = 0; o + tileSize < size; o += stride) s.add(o);
        s.add(size - tileSize);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }

    /** Weights 1 in the tile centre, falling linearly to near 0 over `overlap` px at each edge. */
    private float[] blendWeights(int tw, int th) {
        float[] wx = ramp(tw);
        float[] wy = ramp(th);
        float[] out = new float[tw * th];
        for (int y = 0; y < th; y++) for (int x = 0; x < tw; x++) out[y * tw + x] = wx[x] * wy[y];
        return out;
    }

    private float[] ramp(int n) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            float d = Math.min(i, n - 1 - i) + 0.5f;
            r[i] = overlap == 0 ? 1f : Math.min(1f, d / overlap);
        }
        return r;
    }

    /** Copies tile (x0, y0, tw, th), mirrored outside the image and flipped per variant, into dst. */
    private static void extract(float[][] planes, int w, int h, int x0, int y0, int tw, int th, int variant,
                                float[] dst, int offset) {
        for (int c = 0; c < planes.length; c++) {
            float[] p = planes[c];
            int base = offset + c * tw * th;
            for (int ty = 0; ty < th; ty++) {
                int sy = reflect(y0 + ((variant & 2) != 0 ? th - 1 - ty : ty), h);
                for (int tx = 0; tx < tw; tx++) {
                    int sx = reflect(x0 + ((variant & 1) != 0 ? tw - 1 - tx : tx), w);
                    dst[base + ty * tw + tx] = p[sy * w + sx];
                }
            }
        }
    }

    /** numpy 'reflect' (edge pixel not repeated): -1 → 1, n → n-2. */
    static int reflect(int i, int n) {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        i = Math.floorMod(i, period);
        return i < n ? i : period - i;
    }
}
