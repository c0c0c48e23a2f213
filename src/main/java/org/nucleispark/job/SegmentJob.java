package org.nucleispark.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.nucleispark.io.InputFile;
import org.nucleispark.io.InputLister;
import org.nucleispark.io.OutputSchemas;
import org.nucleispark.io.SerializableConfiguration;
import org.nucleispark.segment.ModelUnavailableException;
import org.nucleispark.segment.SegmenterSpec;
import org.nucleispark.segment.Segmenters;

/** The segment command: list → (decode → segment → measure) per partition → write. */
public final class SegmentJob {
    private final SegmentOptions options;

    public SegmentJob(SegmentOptions options) {
        this.options = options;
    }

    public int run() {
        long t0 = System.nanoTime();
        SegmenterSpec spec = new SegmenterSpec(options.model(), options.modelsDir(), options.unet());
        checkModel(spec);
        try (Sessions session = Sessions.open("nucleispark segment", options.master())) {
            SparkSession spark = session.spark();
            Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
            List<InputFile> inputs = list(hadoopConf);
            if (inputs.isEmpty()) {
                System.err.println("nucleispark: no input files under " + options.input() + "; nothing to do");
                return ExitCodes.NOTHING_PROCESSED;
            }
            System.out.printf("segment: %d files under %s, model %s%n", inputs.size(), options.input(), options.model());
            Dataset<Row> results = segment(spark, inputs, spec, hadoopConf);
            RunSummary summary;
            try {
                write(results, hadoopConf);
                summary = RunSummary.of(results, (System.nanoTime() - t0) / 1e9);
            } finally {
                results.unpersist();
            }
            summary.print(System.out);
            return summary.imagesOk() > 0 ? ExitCodes.OK : ExitCodes.NOTHING_PROCESSED;
        }
    }

    private static void checkModel(SegmenterSpec spec) {
        try {
            Segmenters.check(spec);
        } catch (ModelUnavailableException e) {
            throw new SetupException(e.getMessage(), e);
        }
    }

    private List<InputFile> list(Configuration conf) {
        try {
            return InputLister.list(options.input(), conf);
        } catch (FileNotFoundException e) {
            throw new SetupException(e.getMessage() + "; check the --input path");
        } catch (IOException | IllegalArgumentException e) {
            throw new SetupException("cannot list input " + options.input() + ": " + e.getMessage());
        }
    }

    private Dataset<Row> segment(SparkSession spark, List<InputFile> inputs, SegmenterSpec spec, Configuration conf) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        LongAccumulator done = jsc.sc().longAccumulator("files done");
        int partitions = partitionCount(inputs.size(), jsc.defaultParallelism());
        JavaRDD<Row> rows = jsc.parallelize(inputs, partitions)
                .mapPartitions(new SegmentPartition(spec, new SerializableConfiguration(conf), options.writeLabels(), done));
        Dataset<Row> results = spark.createDataFrame(rows, OutputSchemas.SEGMENT_RESULT)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try (ProgressReporter ignored = new ProgressReporter("segment", done, inputs.size(), 5000, System.out)) {
            results.count(); // runs the segmentation once; the writes below read the persisted rows
        }
        return results;
    }

    /** Several partitions per core, so work balances and progress moves; never more than the inputs. */
    int partitionCount(int inputs, int parallelism) {
        if (options.partitions() > 0) return options.partitions();
        return Math.max(1, Math.min(inputs, parallelism * 4));
    }

    private void write(Dataset<Row> results, Configuration conf) {
        String out = options.output();
        results.select("image.*").write().mode(SaveMode.Overwrite).parquet(out + "/images");
        results.select(explode(col("instances")).as("i")).select("i.*")
                .write().mode(SaveMode.Overwrite).parquet(out + "/instances");
        if (options.writeLabels()) {
            results.select("image", "label_png").where(col("label_png").isNotNull())
                    .foreachPartition(new LabelFiles(out + "/labels", new SerializableConfiguration(conf)));
        }
    }
}
