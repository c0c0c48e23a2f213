package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.FileImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nucleispark.image.RegionReader;
import org.nucleispark.image.SyntheticDiscs;

/** ImageProcessor's block-by-block path on whole files: every page of a stack, and a damaged file. */
class ImageProcessorBlocksTest {
    private static final BlockOptions BLOCKS = new BlockOptions(1, 256, 32, 1 << 16);
    private final ImageProcessor processor = new ImageProcessor(new ClassicalSegmenter(ClassicalOptions.defaults()));

    @TempDir
    Path tmp;

    @Test
    void everyPageOfAStackIsAFrameWithTheNucleiOfWholeImageSegmentation() throws Exception {
        File f = tmp.resolve("stack.tif").toFile();
        writeStack(f, List.of(new SyntheticDiscs(700, 600, 40, 9, 0), new SyntheticDiscs(700, 600, 40, 9, 0.5)));
        List<ProcessedImage> blocks;
        try (FileImageInputStream in = new FileImageInputStream(f); RegionReader reader = RegionReader.open(in)) {
            blocks = processor.processBlocks("stack", f.getPath(), reader, BLOCKS);
        }
        List<ProcessedImage> whole = processor.process("stack", f.getPath(), Files.readAllBytes(f.toPath()));
        assertEquals(2, blocks.size());
        for (int page = 0; page < 2; page++) {
            ProcessedImage b = blocks.get(page);
            assertTrue(b.ok(), b.error());
            assertEquals("stack#" + page, b.imageId());
            assertEquals(page, b.frame());
            assertEquals(whole.get(page).imageId(), b.imageId());
            assertEquals(whole.get(page).instances().size(), b.instances().size(), "page " + page);
            assertNull(b.labels(), "no whole-image label image on the block path");
            assertEquals(b.instances().size(), b.rle().size());
        }
        assertTrue(blocks.get(1).instances().size() < blocks.get(0).instances().size() * 0.7, "page 2 is half empty");
    }

    @Test
    void aDamagedLargeTiffIsAnErrorResultNotAnException() throws Exception {
        File f = tmp.resolve("discs.tif").toFile();
        new SyntheticDiscs(900, 700, 40, 9, 0).write(f, "tiff");
        byte[] bytes = Files.readAllBytes(f.toPath());
        // keep the 8-byte header, overwrite the first half of the rest (directory and tile data)
        Arrays.fill(bytes, 8, bytes.length / 2, (byte) 0x55);
        File damaged = tmp.resolve("damaged.tif").toFile();
        Files.write(damaged.toPath(), bytes);
        try (FileImageInputStream in = new FileImageInputStream(damaged); RegionReader reader = RegionReader.open(in)) {
            List<ProcessedImage> out = processor.processBlocks("damaged", damaged.getPath(), reader, BLOCKS);
            assertEquals(1, out.size());
            // an error result that names the format and the page, not an exception
            ProcessedImage r = out.get(0);
            assertTrue(!r.ok() && r.error().startsWith("TIFF page 1 is truncated or corrupt"), String.valueOf(r.error()));
            assertEquals("damaged", r.imageId());
        }
    }

    private static void writeStack(File f, List<SyntheticDiscs> pages) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionType("LZW");
        try (FileImageOutputStream out = new FileImageOutputStream(f)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (SyntheticDiscs p : pages) writer.writeToSequence(new IIOImage(p, null, null), param);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }
}
