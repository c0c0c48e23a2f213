package org.nucleispark.bench;

import org.nucleispark.job.Main;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nucleispark.image.SyntheticDiscs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.commons.io.FileUtils;

/**
 * Memory and time of block-by-block segmentation of one very large image: writes an N×N 8-bit grey
 * tiled LZW TIFF of synthetic discs (pulled tile by tile, never whole in memory), then runs
 * {@code segment --model classical} (or the extra options' {@code --model}) on it in this JVM
 * (local[1], so the executor is this JVM) and
 * prints wall time, nuclei found against discs drawn, the peak Java heap in use (sampled every 10 ms,
 * and the sum of the heap pools' peaks, an upper bound) and the peak resident set (VmHWM, reset after
 * writing the TIFF). Run it with a small heap (bin/bench-large uses -Xmx2g) to show that the image's
 * size does not set the memory. Prints numbers; asserts nothing.
 *
 * <p>Usage: {@code LargeImageBenchmark [size=20000] [work-dir] [extra segment options…]}
 */
public final class LargeImageBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(LargeImageBenchmark.class);
    private LargeImageBenchmark() {}

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("nucleispark-bench-large");
        List<String> extra = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
        Path input = work.resolve("in");
        Path output = work.resolve("out");
        Files.createDirectories(input);
        FileUtils.deleteQuietly(output.toFile());
        Path tiff = input.resolve("large.tif");

        SyntheticDiscs discs = new SyntheticDiscs(size, size, 64, 12, 0);
        long t0 = System.nanoTime();
        discs.write(tiff.toFile(), "tiff");
        double writeSeconds = (System.nanoTime() - t0) / 1e9;
        int drawn = discs.discs().size();
        System.out.printf("bench-large: wrote %s, %dx%d 8-bit grey, tiled 512² LZW, %.1f MB, %d discs wholly inside, in %.1f s%n",
                tiff, size, size, Files.size(tiff) / 1e6, drawn, writeSeconds);

        resetPeakRss();
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            var heap = ManagementFactory.getMemoryMXBean();
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(heap.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();

        List<String> segment = new ArrayList<>(List.of("segment", "--input", input.toString(), "--output", output.toString(),
                "--master", "local[1]", "--labels"));
        if (!extra.contains("--model")) segment.addAll(List.of("--model", "classical"));
        segment.addAll(extra);
        long t1 = System.nanoTime();
        int exit = Main.run(segment.toArray(String[]::new));
        double segmentSeconds = (System.nanoTime() - t1) / 1e9;
        sampler.interrupt();
        sampler.join();
        long poolPeaks = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) poolPeaks += p.getPeakUsage().getUsed();
        }
        long rss = peakRssKb();

        SparkSession spark = SparkSession.builder().master("local[1]").appName("bench-large-read").getOrCreate();
        Row image = spark.read().parquet(output.resolve("images").toString()).collectAsList().get(0);
        spark.stop();

        System.out.printf("bench-large: segment exit code %d, status %s, wall time %.1f s (%.2f MP/s end to end)%n",
                exit, image.getAs("status"), segmentSeconds, (double) size * size / 1e6 / segmentSeconds);
        System.out.printf("bench-large: nuclei found %s (discs drawn wholly inside: %d; discs cut by the image border add a few)%n",
                image.getAs("n_nuclei"), drawn);
        System.out.printf("bench-large: stage seconds read %.1f, decode %.1f, inference %.1f, post-processing %.1f, measure %.1f, encode %.1f%n",
                image.<Double>getAs("seconds_read"), image.<Double>getAs("seconds_decode"), image.<Double>getAs("seconds_inference"),
                image.<Double>getAs("seconds_postprocess"), image.<Double>getAs("seconds_measure"), image.<Double>getAs("seconds_encode"));
        System.out.printf("bench-large: max heap (-Xmx) %d MB; peak heap used %d MB (sampled every 10 ms), %d MB (sum of heap pool peaks);"
                        + " peak RSS %s; labels/ written: %s%n",
                Runtime.getRuntime().maxMemory() >> 20, peakHeap.get() >> 20, poolPeaks >> 20,
                rss < 0 ? "unknown" : (rss >> 10) + " MB", Files.exists(output.resolve("labels")) ? "yes" : "no");
        System.out.printf("bench-large: a whole-image decode would need %d MB for one float plane alone%n",
                (long) size * size * 4 >> 20);
    }

    /** Linux: writing 5 to clear_refs resets VmHWM, so that the TIFF writing does not count. */
    private static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not reset the peak RSS ({}); it includes writing the TIFF", e.getMessage());
        }
    }

    private static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
