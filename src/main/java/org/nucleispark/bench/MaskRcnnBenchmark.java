package org.nucleispark.bench;

import org.nucleispark.segment.MaskRcnnSegmenter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.model.ModelFiles;
import ai.djl.engine.Engine;

/**
 * Serving speed of the Mask R-CNN segmenter as the job runs it (normalise, detect through DJL,
 * paste, split, clean): ms per image and per megapixel over a DSB folder, after one warm-up pass.
 * Prints numbers; asserts nothing.
 *
 * <p>Usage: {@code MaskRcnnBenchmark <models-dir> <dsb-folder> [repeats]}
 */
public final class MaskRcnnBenchmark {
    private MaskRcnnBenchmark() {}

    public static void main(String[] args) throws IOException {
        String modelsDir = args.length > 0 ? args[0] : "models";
        Path dsb = Paths.get(args.length > 1 ? args[1] : "sample-data/dsb");
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        List<String> ids = new ArrayList<>();
        List<Image> imgs = new ArrayList<>();
        ImageDecoder decoder = new ImageDecoder();
        try (var s = Files.list(dsb)) {
            for (Path dir : s.sorted().toList()) {
                String id = dir.getFileName().toString();
                ids.add(id);
                imgs.add(decoder.decode(id, Files.readAllBytes(dir.resolve("images").resolve(id + ".png"))).frames().get(0).image());
            }
        }
        double mp = imgs.stream().mapToDouble(i -> i.pixelCount() / 1e6).sum();
        try (MaskRcnnSegmenter seg = new MaskRcnnSegmenter(ModelFiles.resolve(modelsDir, "maskrcnn", new Configuration()))) {
            for (Image img : imgs) seg.segment(img);
            long total = 0;
            for (int i = 0; i < imgs.size(); i++) {
                Image img = imgs.get(i);
                long t0 = System.nanoTime();
                int n = 0;
                for (int r = 0; r < repeats; r++) n = seg.segment(img).labels().maxLabel();
                long dt = (System.nanoTime() - t0) / repeats;
                total += dt;
                System.out.printf("%s %dx%d: %.0f ms, %d nuclei%n", ids.get(i).substring(0, 8), img.width(), img.height(), dt / 1e6, n);
            }
            System.out.printf("java djl %s maskrcnn: %.0f ms/image, %.0f ms/MP (%d images, %.2f MP, %d threads available)%n",
                    Engine.getEngine("PyTorch").getVersion(), total / 1e6 / imgs.size(), total / 1e6 / mp, imgs.size(), mp,
                    Runtime.getRuntime().availableProcessors());
        }
    }
}
