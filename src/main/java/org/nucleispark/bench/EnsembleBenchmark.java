package org.nucleispark.bench;

import org.nucleispark.segment.EnsembleSegmenter;
import org.nucleispark.segment.Segmenter;
import org.nucleispark.segment.SegmenterSpec;
import org.nucleispark.segment.Segmenters;
import org.nucleispark.segment.UNetOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.image.Segmentation;

/**
 * What the ensemble step (features, IoU prediction, NMS, painting) adds to running its two members,
 * per image over a DSB folder, after one warm-up pass. The bar: under 20 % of the members'
 * time. Prints numbers; asserts nothing.
 *
 * <p>Usage: {@code EnsembleBenchmark <models-dir> <dsb-folder> [--no-tta]}
 */
public final class EnsembleBenchmark {
    private EnsembleBenchmark() {}

    public static void main(String[] args) throws IOException {
        String modelsDir = args.length > 0 ? args[0] : "models";
        Path dsb = Paths.get(args.length > 1 ? args[1] : "sample-data/dsb");
        boolean tta = !(args.length > 2 && args[2].equals("--no-tta"));
        List<Image> imgs = new ArrayList<>();
        ImageDecoder decoder = new ImageDecoder();
        try (var s = Files.list(dsb)) {
            for (Path dir : s.sorted().toList()) {
                String id = dir.getFileName().toString();
                imgs.add(decoder.decode(id, Files.readAllBytes(dir.resolve("images").resolve(id + ".png"))).frames().get(0).image());
            }
        }
        UNetOptions d = UNetOptions.defaults();
        UNetOptions unetOptions = tta ? d : new UNetOptions(false, d.threshold(), d.borderThreshold(), d.batchSize());
        SegmenterSpec spec = new SegmenterSpec("ensemble", modelsDir, unetOptions);
        Configuration conf = new Configuration();
        EnsembleSegmenter ensemble = (EnsembleSegmenter) Segmenters.get(spec, conf);
        Segmenter unet = Segmenters.get(new SegmenterSpec("unet", modelsDir, unetOptions), conf);
        Segmenter maskrcnn = Segmenters.get(new SegmenterSpec("maskrcnn", modelsDir, unetOptions), conf);
        for (Image img : imgs) ensemble.segment(img); // warm-up
        long tUnet = 0, tMaskRcnn = 0, tCombine = 0;
        int nuclei = 0;
        for (Image img : imgs) {
            long t0 = System.nanoTime();
            Segmentation u = unet.segment(img);
            long t1 = System.nanoTime();
            Segmentation m = maskrcnn.segment(img);
            long t2 = System.nanoTime();
            nuclei += ensemble.combine(u, m, img).labels().maxLabel();
            long t3 = System.nanoTime();
            tUnet += t1 - t0;
            tMaskRcnn += t2 - t1;
            tCombine += t3 - t2;
        }
        System.out.printf("ensemble over %d images (unet tta=%s): unet %.0f ms/image, maskrcnn %.0f ms/image, "
                        + "ensemble step %.1f ms/image = %.1f %% of the members' time; %d nuclei%n",
                imgs.size(), tta, tUnet / 1e6 / imgs.size(), tMaskRcnn / 1e6 / imgs.size(), tCombine / 1e6 / imgs.size(),
                100.0 * tCombine / (tUnet + tMaskRcnn), nuclei);
    }
}
