package org.nucleispark.segment;

import java.util.ArrayList;
import java.util.List;
import org.nucleispark.image.DecodeResult;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.image.ImageRegions;
import org.nucleispark.image.RegionReadException;
import org.nucleispark.image.RegionReader;
import org.nucleispark.io.Rle;
import org.nucleispark.measure.ShapeMeasurer;
import org.nucleispark.image.Segmentation;
import java.io.IOException;
import java.util.Map;

/**
 * decode → segment → measure for one input file, without Spark: one {@link ProcessedImage} per
 * frame, or a single error result. An exception from a segmenter on one image becomes that image's
 * error row, so one pathological image cannot fail a task and, after retries, the whole job.
 */
public final class ImageProcessor {
    private final Segmenter segmenter;
    private final ImageDecoder decoder = new ImageDecoder();

    public ImageProcessor(Segmenter segmenter) {
        this.segmenter = segmenter;
    }

    public List<ProcessedImage> process(String imageId, String path, byte[] bytes) {
        long t0 = System.nanoTime();
        DecodeResult decoded = decoder.decode(path, bytes);
        if (!decoded.isOk()) {
            return List.of(ProcessedImage.failed(imageId, path, decoded.error(), segmenter, secondsSince(t0)));
        }
        List<DecodeResult.Frame> frames = decoded.frames();
        List<ProcessedImage> out = new ArrayList<>(frames.size());
        boolean stack = frames.size() > 1;
        for (DecodeResult.Frame f : frames) {
            String id = stack ? imageId + "#" + f.index() : imageId;
            out.add(processFrame(id, path, stack ? f.index() : -1, f, t0));
            t0 = System.nanoTime();
        }
        return out;
    }

    /**
     * Segments every page of a file too large to decode whole, block by block ({@link BlockSegmenter});
     * each page is one result, as in {@link #process}. A page that cannot be read becomes that page's
     * error result.
     */
    public List<ProcessedImage> processBlocks(String imageId, String path, RegionReader reader, BlockOptions options) {
        long t0 = System.nanoTime();
        int pages;
        try {
            pages = reader.pages();
        } catch (IOException | RuntimeException e) {
            return List.of(ProcessedImage.failed(imageId, path, "cannot read the file's pages: " + e.getMessage(), segmenter,
                    secondsSince(t0)));
        }
        BlockSegmenter blocks = new BlockSegmenter(segmenter, options);
        List<ProcessedImage> out = new ArrayList<>(pages);
        boolean stack = pages > 1;
        for (int page = 0; page < pages; page++) {
            String id = stack ? imageId + "#" + page : imageId;
            int frame = stack ? page : -1;
            int w = -1, h = -1;
            try {
                ImageRegions regions = reader.page(page);
                w = regions.width();
                h = regions.height();
                BlockSegmenter.Result r = blocks.segment(regions);
                out.add(new ProcessedImage(id, path, frame, w, h, r.channels(), r.bitDepth(), null, segmenter.name(),
                        segmenter.version(), secondsSince(t0), r.instances(), r.rle(), r.segmentation()));
            } catch (RegionReadException e) {
                out.add(failedPage(id, path, frame, e.getMessage(), t0));
            } catch (RuntimeException | OutOfMemoryError e) {
                out.add(failedPage(id, path, frame, "segmentation failed (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + ") on the " + w + "x" + h + " image, segmented in blocks of " + options.blockSize() + " px", t0));
            }
            t0 = System.nanoTime();
        }
        return out;
    }

    private ProcessedImage failedPage(String id, String path, int frame, String reason, long t0) {
        return new ProcessedImage(id, path, frame, -1, -1, -1, -1, reason, segmenter.name(), segmenter.version(),
                secondsSince(t0), List.of(), Map.of(), null);
    }

    private ProcessedImage processFrame(String id, String path, int frame, DecodeResult.Frame f, long t0) {
        var image = f.image();
        try {
            Segmentation seg = segmenter.segment(image);
            var features = ShapeMeasurer.measure(seg);
            var rle = Rle.encodeAll(seg.labels());
            return new ProcessedImage(id, path, frame, image.width(), image.height(), image.channels(), image.bitDepth(),
                    null, segmenter.name(), segmenter.version(), secondsSince(t0), features, rle, seg);
        } catch (RuntimeException | OutOfMemoryError e) {
            String reason = "segmentation failed (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); the image decoded as " + image.width() + "x" + image.height() + "x" + image.channels();
            return new ProcessedImage(id, path, frame, image.width(), image.height(), image.channels(), image.bitDepth(),
                    reason, segmenter.name(), segmenter.version(), secondsSince(t0), List.of(), Map.of(), null);
        }
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
