package org.nucleispark.job.segment;

import org.nucleispark.store.ResultRows;
import org.nucleispark.store.StageSeconds;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.AccessControlException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.nucleispark.image.RegionReader;
import org.nucleispark.io.HadoopImageInputStream;
import org.nucleispark.io.InputFile;
import org.nucleispark.io.SerializableConfiguration;
import org.nucleispark.segment.BlockOptions;
import org.nucleispark.segment.ImageProcessor;
import org.nucleispark.segment.ProcessedImage;
import org.nucleispark.segment.SegmenterSpec;
import org.nucleispark.segment.Segmenters;
import org.nucleispark.segment.GpuAssignment;
import org.nucleispark.segment.TaskThreads;
import java.nio.file.AccessDeniedException;
import java.util.Arrays;
import java.util.Collections;
import java.util.NoSuchElementException;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.TaskContext;

/**
 * The per-partition work of {@code segment}: read each file, run the JVM's shared segmenter, emit
 * result rows. Lazily, one input at a time, so a partition never holds more than one image.
 */
final class SegmentPartition implements FlatMapFunction<Iterator<InputFile>, Row> {
    private final SegmenterSpec spec;
    private final SerializableConfiguration conf;
    private final boolean withLabels;
    private final InputsDone imagesDone;
    private final FaultInjection faults;
    private final BlockOptions blocks;

    SegmentPartition(SegmenterSpec spec, SerializableConfiguration conf, boolean withLabels, InputsDone imagesDone) {
        this(spec, conf, withLabels, imagesDone, FaultInjection.NONE, BlockOptions.DEFAULTS);
    }

    SegmentPartition(SegmenterSpec spec, SerializableConfiguration conf, boolean withLabels, InputsDone imagesDone,
                     FaultInjection faults, BlockOptions blocks) {
        this.spec = spec;
        this.conf = conf;
        this.withLabels = withLabels;
        this.imagesDone = imagesDone;
        this.faults = faults;
        this.blocks = blocks;
    }

    /** The GPU addresses Spark gave this task (none outside resource scheduling or without a task). */
    static List<String> gpus(TaskContext task) {
        if (task == null) return List.of();
        scala.Option<ResourceInformation> gpu = task.resources().get("gpu");
        return gpu.isDefined() ? Arrays.asList(gpu.get().addresses()) : List.of();
    }

    @Override
    public Iterator<Row> call(Iterator<InputFile> files) {
        TaskContext task = TaskContext.get();
        TaskThreads.perTask(task == null ? 1 : task.cpus());
        // the JVM's shared segmenter, wrapped per task to time its calls (see StageClock)
        TimedSegmenter segmenter = new TimedSegmenter(Segmenters.get(spec.onDevice(GpuAssignment.device(gpus(task))), conf.get()));
        ImageProcessor processor = new ImageProcessor(segmenter);
        return new Iterator<>() {
            private Iterator<Row> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && files.hasNext()) current = processFile(files.next(), processor, segmenter);
                if (!current.hasNext()) faults.maybeFail(); // the partition's work is all done: a late failure
                return current.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                return current.next();
            }
        };
    }

    private Iterator<Row> processFile(InputFile file, ImageProcessor processor, TimedSegmenter segmenter) {
        long t0 = System.nanoTime();
        long processStart = t0;
        segmenter.reset();
        List<ProcessedImage> results = null;
        boolean byBlocks = false;
        try {
            if (file.missing()) throw new FileNotFoundException(file.path());
            Path p = new Path(file.path());
            try (FSDataInputStream in = p.getFileSystem(conf.get()).open(p)) {
                RegionReader large = openIfLarge(file, in);
                if (large != null) {
                    try (large) {
                        byBlocks = true;
                        processStart = System.nanoTime();
                        results = processor.processBlocks(file.imageId(), file.path(), large, blocks);
                    }
                } else {
                    in.seek(0);
                    byte[] bytes = in.readAllBytes();
                    processStart = System.nanoTime();
                    results = processor.process(file.imageId(), file.path(), bytes);
                }
            } catch (AccessDeniedException e) {
                throw new AccessControlException(e.getMessage());
            }
        } catch (FileNotFoundException e) {
            results = List.of(ProcessedImage.failed(file.imageId(), file.path(), file.missing()
                    ? "listed in the manifest but not found; check the manifest's path against --input"
                    : "file disappeared after listing (moved or deleted during the run)", segmenter, since(t0)));
        } catch (AccessControlException e) {
            results = List.of(ProcessedImage.failed(file.imageId(), file.path(),
                    "permission denied reading the file: " + e.getMessage(), segmenter, since(t0)));
        } catch (IOException e) {
            results = List.of(ProcessedImage.failed(file.imageId(), file.path(),
                    "cannot read the file: " + e.getMessage(), segmenter, since(t0)));
        }
        long processEnd = System.nanoTime();
        TaskContext task = TaskContext.get();
        imagesDone.add(task == null ? 0 : task.partitionId());
        List<StageSeconds> stages = byBlocks
                ? StageClock.splitBlocks(t0, processStart, segmenter.calls(), processEnd, results.size())
                : StageClock.split(t0, processStart, segmenter.calls(), processEnd, results.size());
        List<Row> rows = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) rows.add(ResultRows.of(results.get(i), file, withLabels, stages.get(i)));
        return rows.iterator();
    }

    /**
     * A region reader over the open file when its (first) page has more pixels than the block
     * threshold, from its header alone; otherwise null, and the file is read and decoded whole as
     * always. A header that cannot be read is also left to whole-file decoding, whose error row says
     * what is wrong with the file.
     */
    private RegionReader openIfLarge(InputFile file, FSDataInputStream in) throws IOException {
        HadoopImageInputStream stream = new HadoopImageInputStream(in, file.size() > 0 ? file.size() : -1);
        RegionReader reader = null;
        try {
            reader = RegionReader.open(stream);
            if (reader != null && blocks.appliesTo(reader.firstPagePixels())) return reader;
        } catch (IOException | RuntimeException e) {
            if (e instanceof AccessDeniedException || e instanceof FileNotFoundException) throw (IOException) e;
        }
        if (reader != null) reader.close();
        return null;
    }

    private static double since(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
