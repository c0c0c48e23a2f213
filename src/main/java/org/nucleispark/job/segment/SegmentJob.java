package org.nucleispark.job.segment;

import org.nucleispark.runtime.ExitCodes;
import org.nucleispark.runtime.Sessions;
import org.nucleispark.runtime.SetupException;
import org.nucleispark.store.ContentHashes;
import org.nucleispark.store.CurrentResults;
import org.nucleispark.store.RunLedger;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nucleispark.io.FilenamePattern;
import org.nucleispark.io.InputFile;
import org.nucleispark.io.InputLister;
import org.nucleispark.io.Manifest;
import org.nucleispark.io.OutputSchemas;
import org.nucleispark.io.SerializableConfiguration;
import org.nucleispark.model.ModelUnavailableException;
import org.nucleispark.segment.SegmenterSpec;
import org.nucleispark.segment.Segmenters;
import org.nucleispark.segment.TaskThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.SparkConf;

/**
 * The segment command: list → [identify → skip done] → plan partitions → (decode → segment → measure)
 * per partition → write (appended as one run) → ledger row.
 */
public final class SegmentJob {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentJob.class);
    /** Loads models beside the Spark start-up; daemon, so a JVM never waits on it to exit. */
    private static final Executor LOADER = task -> {
        Thread t = new Thread(task, "nucleispark-model-load");
        t.setDaemon(true);
        t.start();
    };
    private final SegmentOptions options;
    private final SegmentTracking tracking;
    /** The current run's stages (one run at a time per SegmentJob). */
    private StageLog stages;

    public SegmentJob(SegmentOptions options) {
        this(options, SegmentTracking.DEFAULT);
    }

    /** @param tracking whether and how the run links its instances afterwards ({@code --track}; see TrackAfterSegment) */
    public SegmentJob(SegmentOptions options, SegmentTracking tracking) {
        this.options = options;
        this.tracking = tracking == null ? SegmentTracking.DEFAULT : tracking;
    }

    public int run() {
        long t0 = System.nanoTime();
        Instant started = Instant.now();
        String runId = RunLedger.newRunId(started);
        if (options.manifest() != null && options.pattern() != null) {
            throw new SetupException("give either --manifest or --pattern, not both");
        }
        FilenamePattern pattern = compilePattern();
        // absolute, and refused when executors cannot read it (ModelsLocation): before Spark starts
        String master = ModelsLocation.effectiveMaster(options.master());
        String modelsDir = ModelsLocation.forExecutors(options.modelsDir(), master, options.model());
        SegmenterSpec spec = new SegmenterSpec(options.model(), modelsDir, options.unet());
        // A local run loads its models while Spark starts (1-2 s each on separate cores; the run's tasks then
        // find them loaded in this JVM). On a cluster the session can take minutes to come up, so a missing
        // model is found first, before anything starts.
        CompletableFuture<String> modelVersion = ModelsLocation.isLocal(master)
                ? CompletableFuture.supplyAsync(() -> checkModel(spec), LOADER)
                : CompletableFuture.completedFuture(checkModel(spec));
        try (Sessions session = Sessions.open("nucleispark segment", options.master(), options.sparkConf())) {
            SparkSession spark = session.spark();
            // one job group per run, one description per stage: the Spark UI's job list reads like the data flow
            spark.sparkContext().setJobGroup(runId, "nucleispark segment run " + runId, false);
            try {
                return run(spark, runId, started, t0, pattern, spec, joined(modelVersion));
            } finally {
                // a reused session (notebook, Databricks) must not file its next jobs under this run
                spark.sparkContext().clearJobGroup();
            }
        }
    }

    private int run(SparkSession spark, String runId, Instant started, long t0, FilenamePattern pattern,
                    SegmenterSpec spec, String modelVersion) {
        stages = new StageLog(spark.sparkContext(), System.out);
        Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
        stages.begin("list", "inputs under " + options.input());
        List<InputFile> inputs = list(spark, hadoopConf, pattern);
        stages.end("files=" + inputs.size());
        if (inputs.isEmpty()) {
            LOG.warn("no input files under {}; nothing to do", options.input());
            return ExitCodes.NOTHING_PROCESSED;
        }
        System.out.printf("segment: %d files under %s, model %s (version %s), run %s%n",
                inputs.size(), options.input(), options.model(), modelVersion, runId);
        reportPatternMisses(inputs, pattern);
        PendingInputs pending = plan(spark, inputs, modelVersion, hadoopConf);
        stages.end("files=" + inputs.size() + " skipped_done=" + pending.skipped() + " to_process=" + pending.toProcess().size());
        if (options.runs().skipsDone()) {
            System.out.printf("segment: %d already done with model version %s, %d to process%n",
                    pending.skipped(), modelVersion, pending.toProcess().size());
        }
        if (pending.toProcess().isEmpty()) {
            stages.begin("ledger", "record run " + runId);
            RunLedger.append(spark, options.output(), ledgerEntry(runId, started, modelVersion, inputs.size(), pending.skipped(), 0, 0, 0));
            stages.end("run_id=" + runId);
            TrackAfterSegment.run(spark, options.output(), modelVersion, tracking, anyFrame(inputs) ? Boolean.TRUE : null, stages, System.out);
            System.out.printf("segment done: nothing to do, all %d inputs are up to date (run %s)%n", inputs.size(), runId);
            return ExitCodes.OK;
        }
        long t1 = System.nanoTime();
        stages.begin("segment", "decode → segment → measure, " + pending.toProcess().size() + " files, model " + options.model());
        Dataset<Row> results = segment(spark, pending.toProcess(), spec, hadoopConf);
        stages.end("files=" + pending.toProcess().size());
        RunSummary summary;
        Boolean framed = null;
        try {
            long t2 = System.nanoTime();
            write(spark, results.withColumn("run_id", lit(runId)), hadoopConf,
                    inputs.stream().anyMatch(f -> f.sequence().experiment() != null));
            stages.end("tables=images,instances,sequences" + (options.writeLabels() ? ",labels" : ""));
            long t3 = System.nanoTime();
            stages.begin("summary", "counts and failures by reason");
            summary = RunSummary.of(results, (System.nanoTime() - t0) / 1e9,
                    new RunSummary.Phases((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9));
            stages.end("ok=" + summary.imagesOk() + " failed=" + summary.imagesFailed() + " nuclei=" + summary.nuclei());
            // whether --track auto links: frames from the manifest or pattern, or pages of multi-page files
            if (tracking.mode() == SegmentTracking.Mode.AUTO) {
                framed = anyFrame(inputs) || summary.framedRows() > 0;
            }
        } finally {
            results.unpersist();
        }
        // last: the ledger row is what makes this run's rows current (see CurrentResults)
        stages.begin("ledger", "record run " + runId);
        RunLedger.append(spark, options.output(), ledgerEntry(runId, started, modelVersion, inputs.size(), pending.skipped(),
                summary.imagesOk(), summary.imagesFailed(), summary.nuclei()));
        stages.end("run_id=" + runId);
        if (summary.imagesOk() > 0) TrackAfterSegment.run(spark, options.output(), modelVersion, tracking, framed, stages, System.out);
        summary.print(System.out);
        return summary.imagesOk() > 0 ? ExitCodes.OK : ExitCodes.NOTHING_PROCESSED;
    }

    private static boolean anyFrame(List<InputFile> inputs) {
        return inputs.stream().anyMatch(f -> f.sequence().frame() != null);
    }

    /** All inputs, or with --incremental those not done yet; refuses an output in the pre-ledger layout. */
    private PendingInputs plan(SparkSession spark, List<InputFile> inputs, String modelVersion, Configuration conf) {
        if (CurrentResults.isLegacy(spark, options.output())) {
            throw new SetupException("output " + options.output() + " was written by an older nucleispark (tables without run_id folders); "
                    + "give a new --output, or move the old one aside");
        }
        SegmentOptions.Incremental runs = options.runs();
        List<InputFile> identified = withHashes(spark, inputs, conf);
        stages.begin("plan", runs.skipsDone() ? "read current images/ to find inputs already done" : "process every input");
        if (!runs.skipsDone()) return PendingInputs.all(identified);
        CurrentResults current = CurrentResults.of(spark, options.output());
        return PendingInputs.of(identified, current.images(), modelVersion, runs.identity(), runs.retryFailed());
    }

    /** With --identity hash, every input's sha256, also written to images/ so that later runs can compare. */
    private List<InputFile> withHashes(SparkSession spark, List<InputFile> inputs, Configuration conf) {
        if (options.runs().identity() != InputIdentity.HASH) return inputs;
        stages.begin("identify", "sha256 of " + inputs.size() + " inputs");
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<InputFile> hashed = ContentHashes.attach(jsc, inputs, new SerializableConfiguration(conf), jsc.defaultParallelism() * 4);
        stages.end("files=" + inputs.size() + " unreadable=" + hashed.stream().filter(f -> f.contentSha256() == null).count());
        return hashed;
    }

    private RunLedger.Entry ledgerEntry(String runId, Instant started, String modelVersion, long seen, long skipped,
                                        long ok, long failed, long nuclei) {
        return new RunLedger.Entry(runId, started, Instant.now(), options.arguments(), options.model(), modelVersion,
                seen, skipped, ok, failed, nuclei, BuildInfo.gitCommit());
    }

    private FilenamePattern compilePattern() {
        if (options.pattern() == null) return null;
        try {
            return FilenamePattern.compile(options.pattern());
        } catch (IllegalArgumentException e) {
            throw new SetupException(e.getMessage());
        }
    }

    /** The model check's result, or its SetupException as thrown by checkModel. */
    private static String joined(CompletableFuture<String> version) {
        try {
            return version.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /** Loads the models once: a missing model must fail in seconds, not after the run has started. Returns its version. */
    private String checkModel(SegmenterSpec spec) {
        Configuration conf = new Configuration();
        // spark-submit's --conf spark.hadoop.* (system properties here) first: S3 credentials for an
        // s3a:// --models-dir usually come that way; then segment's own --conf
        for (scala.Tuple2<String, String> kv : new SparkConf().getAll()) {
            if (kv._1().startsWith("spark.hadoop.")) conf.set(kv._1().substring("spark.hadoop.".length()), kv._2());
        }
        options.sparkConf().forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) conf.set(k.substring("spark.hadoop.".length()), v);
        });
        // before the first model loads: in local mode this JVM's libtorch also serves the tasks
        String taskCpus = options.sparkConf().getOrDefault("spark.task.cpus", System.getProperty("spark.task.cpus", "1"));
        TaskThreads.perTask(Integer.parseInt(taskCpus.trim()));
        try {
            Segmenters.check(spec, conf);
            return Segmenters.get(spec, conf).version();
        } catch (ModelUnavailableException e) {
            throw new SetupException(e.getMessage(), e);
        }
    }

    private List<InputFile> list(SparkSession spark, Configuration conf, FilenamePattern pattern) {
        List<Manifest.Entry> entries = options.manifest() == null ? null : readManifest(spark);
        try {
            List<InputFile> listed = InputLister.list(options.input(), conf, pattern);
            return entries == null ? listed : Manifest.resolve(entries, options.input(), listed, conf);
        } catch (FileNotFoundException e) {
            throw new SetupException(e.getMessage() + "; check the --input path");
        } catch (IOException | IllegalArgumentException e) {
            throw new SetupException("cannot list input " + options.input() + ": " + e.getMessage());
        }
    }

    private List<Manifest.Entry> readManifest(SparkSession spark) {
        try {
            return ManifestReader.read(spark, options.manifest());
        } catch (IllegalArgumentException e) {
            throw new SetupException(e.getMessage());
        } catch (Exception e) {
            // Spark throws AnalysisException (undeclared, from Scala) for a missing or unreadable file
            if (e instanceof AnalysisException) {
                throw new SetupException("cannot read manifest " + options.manifest() + ": " + e.getMessage());
            }
            throw e;
        }
    }

    /** A pattern that matches nothing is most likely a typo; say so rather than run without keys. */
    private static void reportPatternMisses(List<InputFile> inputs, FilenamePattern pattern) {
        if (pattern == null) return;
        long misses = inputs.stream().filter(f -> !f.sequence().hasSequenceKey() && f.sequence().frame() == null).count();
        if (misses > 0) {
            LOG.warn("{} of {} files do not follow --pattern {}; they are processed without experiment/well/field/frame",
                    misses, inputs.size(), pattern);
        }
    }

    private Dataset<Row> segment(SparkSession spark, List<InputFile> inputs, SegmenterSpec spec, Configuration conf) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        InputsDone done = new InputsDone(); // counts each input once, also when tasks are re-run
        jsc.sc().register(done, "files done");
        List<List<InputFile>> plan = SequencePartitioner.plan(inputs, partitionCount(inputs.size(), jsc.defaultParallelism()));
        JavaRDD<Row> rows = distribute(jsc, plan)
                .mapPartitions(new SegmentPartition(spec, new SerializableConfiguration(conf), options.writeLabels(), done, options.faults(),
                        options.blocks()));
        Dataset<Row> results = spark.createDataFrame(rows, OutputSchemas.SEGMENT_RESULT)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try (ProgressReporter ignored = new ProgressReporter("segment", done, inputs.size(), 5000, System.out)) {
            // runs the segmentation once, filling the cache that the writes below read; one job (count() is an
            // aggregation: three jobs, 0.4 s more on a small run)
            results.foreachPartition((ForeachPartitionFunction<Row>) cached -> { });
        }
        return results;
    }

    /**
     * One Spark partition per planned list, its files in the planned order. Parallelizing the lists
     * themselves (n elements into n slices gives one each) keeps Spark from re-slicing the plan.
     */
    static JavaRDD<InputFile> distribute(JavaSparkContext jsc, List<List<InputFile>> plan) {
        return jsc.parallelize(plan, plan.size()).flatMap(List::iterator);
    }

    int partitionCount(int inputs, int parallelism) {
        return options.partitions() > 0 ? options.partitions() : SequencePartitioner.defaultCount(inputs, parallelism);
    }

    /**
     * Appends this run's rows under {@code run_id=<id>} folders (see {@link CurrentResults} for why
     * appending, and how readers pick the current rows). Tables first, label images next, and the
     * ledger row last (in run()), so that a crash anywhere leaves this run uncommitted and ignored.
     */
    private void write(SparkSession spark, Dataset<Row> segmented, Configuration conf, boolean byExperiment) {
        String out = options.output();
        // One write task per core, not per segmentation partition (4 per core, for balance): the rows are
        // already computed, so more tasks only add files and task overhead (65 images on 2 cores: writing
        // 3.9 -> 2.8 s, docs/benchmarks.md). Never more partitions than were computed.
        Dataset<Row> results = segmented.coalesce(spark.sparkContext().defaultParallelism());
        stages.begin("write", "images/ (one row per input or frame)");
        parquet(results.select(col("image.*"), col("run_id")), byExperiment).save(out + "/images");
        Dataset<Row> instances = byExperiment
                ? results.select(explode(col("instances")).as("i"), col("image.experiment").as("experiment"), col("run_id"))
                        .select("i.*", "experiment", "run_id")
                : results.select(explode(col("instances")).as("i"), col("run_id")).select("i.*", "run_id");
        stages.begin("write", "instances/ (one row per nucleus)");
        parquet(instances, byExperiment).save(out + "/instances");
        stages.begin("write", "sequences/ (per-frame aggregates)");
        parquet(results.where(col("sequence").isNotNull()).select(col("sequence.*"), col("run_id")), byExperiment)
                .save(out + "/sequences");
        if (options.writeLabels()) {
            stages.begin("write", "labels/ (16-bit label PNGs)");
            results.select("image", "label_png").where(col("label_png").isNotNull())
                    .foreachPartition(new LabelFiles(out + "/labels", new SerializableConfiguration(conf)));
        }
    }

    /**
     * Appended, partitioned by run (and first by experiment when the corpus has experiments, so one
     * experiment's files can be read alone). Append never touches files of earlier runs.
     */
    private static DataFrameWriter<Row> parquet(Dataset<Row> df, boolean byExperiment) {
        DataFrameWriter<Row> w = df.write().mode(SaveMode.Append).format("parquet");
        return byExperiment ? w.partitionBy("experiment", "run_id") : w.partitionBy("run_id");
    }
}
