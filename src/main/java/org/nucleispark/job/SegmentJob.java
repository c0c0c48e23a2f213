package org.nucleispark.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.nucleispark.io.FilenamePattern;
import org.nucleispark.io.InputFile;
import org.nucleispark.io.InputLister;
import org.nucleispark.io.Manifest;
import org.nucleispark.io.OutputSchemas;
import org.nucleispark.io.SerializableConfiguration;
import org.nucleispark.segment.ModelUnavailableException;
import org.nucleispark.segment.SegmenterSpec;
import org.nucleispark.segment.Segmenters;

/** The segment command: list → plan partitions → (decode → segment → measure) per partition → write. */
public final class SegmentJob {
    private final SegmentOptions options;

    public SegmentJob(SegmentOptions options) {
        this.options = options;
    }

    public int run() {
        long t0 = System.nanoTime();
        if (options.manifest() != null && options.pattern() != null) {
            throw new SetupException("give either --manifest or --pattern, not both");
        }
        FilenamePattern pattern = compilePattern();
        SegmenterSpec spec = new SegmenterSpec(options.model(), options.modelsDir(), options.unet());
        checkModel(spec);
        try (Sessions session = Sessions.open("nucleispark segment", options.master(), options.sparkConf())) {
            SparkSession spark = session.spark();
            Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
            List<InputFile> inputs = list(spark, hadoopConf, pattern);
            if (inputs.isEmpty()) {
                System.err.println("nucleispark: no input files under " + options.input() + "; nothing to do");
                return ExitCodes.NOTHING_PROCESSED;
            }
            System.out.printf("segment: %d files under %s, model %s%n", inputs.size(), options.input(), options.model());
            reportPatternMisses(inputs, pattern);
            long t1 = System.nanoTime();
            Dataset<Row> results = segment(spark, inputs, spec, hadoopConf);
            RunSummary summary;
            try {
                long t2 = System.nanoTime();
                write(results, hadoopConf, inputs.stream().anyMatch(f -> f.sequence().experiment() != null));
                long t3 = System.nanoTime();
                summary = RunSummary.of(results, (System.nanoTime() - t0) / 1e9,
                        new RunSummary.Phases((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9));
            } finally {
                results.unpersist();
            }
            summary.print(System.out);
            return summary.imagesOk() > 0 ? ExitCodes.OK : ExitCodes.NOTHING_PROCESSED;
        }
    }

    private FilenamePattern compilePattern() {
        if (options.pattern() == null) return null;
        try {
            return FilenamePattern.compile(options.pattern());
        } catch (IllegalArgumentException e) {
            throw new SetupException(e.getMessage());
        }
    }

    /** Before Spark starts: a missing model must fail in seconds, not after the session is up. */
    private void checkModel(SegmenterSpec spec) {
        Configuration conf = new Configuration();
        options.sparkConf().forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) conf.set(k.substring("spark.hadoop.".length()), v);
        });
        try {
            Segmenters.check(spec, conf);
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
            if (e instanceof org.apache.spark.sql.AnalysisException) {
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
            System.out.printf("segment: %d of %d files do not follow --pattern %s; they are processed without experiment/well/field/frame%n",
                    misses, inputs.size(), pattern);
        }
    }

    private Dataset<Row> segment(SparkSession spark, List<InputFile> inputs, SegmenterSpec spec, Configuration conf) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        LongAccumulator done = jsc.sc().longAccumulator("files done");
        List<List<InputFile>> plan = SequencePartitioner.plan(inputs, partitionCount(inputs.size(), jsc.defaultParallelism()));
        JavaRDD<Row> rows = distribute(jsc, plan)
                .mapPartitions(new SegmentPartition(spec, new SerializableConfiguration(conf), options.writeLabels(), done));
        Dataset<Row> results = spark.createDataFrame(rows, OutputSchemas.SEGMENT_RESULT)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try (ProgressReporter ignored = new ProgressReporter("segment", done, inputs.size(), 5000, System.out)) {
            results.count(); // runs the segmentation once; the writes below read the persisted rows
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

    /** Several partitions per core, so work balances and progress moves; never more than the inputs. */
    int partitionCount(int inputs, int parallelism) {
        if (options.partitions() > 0) return options.partitions();
        return Math.max(1, Math.min(inputs, parallelism * 4));
    }

    private void write(Dataset<Row> results, Configuration conf, boolean byExperiment) {
        String out = options.output();
        parquet(results.select("image.*"), byExperiment).save(out + "/images");
        Dataset<Row> instances = byExperiment
                ? results.select(explode(col("instances")).as("i"), col("image.experiment").as("experiment")).select("i.*", "experiment")
                : results.select(explode(col("instances")).as("i")).select("i.*");
        parquet(instances, byExperiment).save(out + "/instances");
        parquet(results.where(col("sequence").isNotNull()).select("sequence.*"), byExperiment).save(out + "/sequences");
        if (options.writeLabels()) {
            results.select("image", "label_png").where(col("label_png").isNotNull())
                    .foreachPartition(new LabelFiles(out + "/labels", new SerializableConfiguration(conf)));
        }
    }

    /** Partitioned by experiment when the corpus has experiments, so one experiment's files can be read alone. */
    private static DataFrameWriter<Row> parquet(Dataset<Row> df, boolean byExperiment) {
        DataFrameWriter<Row> w = df.write().mode(SaveMode.Overwrite).format("parquet");
        return byExperiment ? w.partitionBy("experiment") : w;
    }
}
