package org.nucleispark.bench;

import org.nucleispark.segment.InferenceEngine;
import org.nucleispark.segment.TaskThreads;
import org.nucleispark.segment.TiledPredictor;
import org.nucleispark.segment.UNetOptions;
import org.nucleispark.segment.TorchModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.image.PercentileNormaliser;
import org.nucleispark.model.ModelFiles;
import org.nucleispark.model.ModelMetadata;
import ai.djl.engine.Engine;

/**
 * Java side of the U-Net serving benchmark (bin/bench-unet): ms per megapixel for normalisation plus
 * inference through DJL, with and without flip TTA, once as whole-image passes (what the Python
 * benchmark does) and once with the job's default 256 px tiles, on each engine the model can run on
 * (libtorch from model.pt; ONNX Runtime from model.onnx when model.json names one). Prints numbers; asserts nothing.
 *
 * <p>Usage: {@code UNetBenchmark <models-dir> <dsb-folder> [repeats]}
 */
public final class UNetBenchmark {
    private UNetBenchmark() {}

    public static void main(String[] args) throws IOException {
        String modelsDir = args.length > 0 ? args[0] : "models";
        Path images = Paths.get(args.length > 1 ? args[1] : "sample-data/dsb");
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        ModelFiles files = ModelFiles.resolve(modelsDir, "unet", new Configuration());
        ModelMetadata m = files.metadata();
        List<Image> imgs = load(images);
        double mp = imgs.stream().mapToDouble(i -> i.pixelCount() / 1e6).sum();
        PercentileNormaliser norm = new PercentileNormaliser(m.normLowPercentile(), m.normHighPercentile());
        List<InferenceEngine> engines = files.localOnnx() == null ? List.of(InferenceEngine.PYTORCH)
                : List.of(InferenceEngine.PYTORCH, InferenceEngine.ONNXRUNTIME);
        for (InferenceEngine engine : engines) {
            Path file = engine.weights(files);
            String engineName = engine == InferenceEngine.ONNXRUNTIME ? "onnxruntime" : "djl pytorch " + Engine.getEngine("PyTorch").getVersion();
            try (TorchModel model = new TorchModel(file, null, engine)) {
                for (boolean tta : new boolean[] {false, true}) {
                    for (boolean whole : new boolean[] {false, true}) {
                        TiledPredictor p = new TiledPredictor(model, 2, m.tileSize(), m.tileOverlap(), m.sizeMultiple(), tta, 4,
                                whole ? UNetOptions.DEFAULT_PASS_PIXELS : 0);
                        for (Image img : imgs) p.predict(norm.normalise(img, 3), img.width(), img.height());
                        long t0 = System.nanoTime();
                        for (int r = 0; r < repeats; r++) {
                            for (Image img : imgs) p.predict(norm.normalise(img, 3), img.width(), img.height());
                        }
                        double ms = (System.nanoTime() - t0) / 1e6 / repeats;
                        System.out.printf("java %s threads=%d tta=%s %s: %.1f ms/MP (%d images, %.2f MP), peak RSS so far %s%n",
                                engineName, TaskThreads.threads(), tta,
                                whole ? "whole-image (--pass-pixels default)" : "tiles=" + m.tileSize() + "/" + m.tileOverlap(),
                                ms / mp, imgs.size(), mp, peakRss());
                    }
                }
            }
        }
    }

    /** The process' peak resident memory (Linux VmHWM): the engine's native buffers are outside the Java heap. */
    private static String peakRss() {
        try {
            return Files.readAllLines(Paths.get("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                    .map(l -> l.substring(6).trim()).findFirst().orElse("n/a");
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static List<Image> load(Path dsb) throws IOException {
        List<Image> out = new ArrayList<>();
        ImageDecoder decoder = new ImageDecoder();
        try (var s = Files.list(dsb)) {
            for (Path dir : s.sorted().toList()) {
                String id = dir.getFileName().toString();
                byte[] bytes = Files.readAllBytes(dir.resolve("images").resolve(id + ".png"));
                out.add(decoder.decode(id, bytes).frames().get(0).image());
            }
        }
        return out;
    }
}
