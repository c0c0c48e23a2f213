package org.nucleispark.job;

import org.nucleispark.job.track.ExportJob;

import org.nucleispark.job.segment.SegmentTracking;

import org.nucleispark.segment.InferenceEngine;

import org.nucleispark.job.evaluate.EvaluateJob;
import org.nucleispark.job.evaluate.EvaluateOptions;
import org.nucleispark.job.report.ReportJob;
import org.nucleispark.job.segment.FaultInjection;
import org.nucleispark.job.segment.InputIdentity;
import org.nucleispark.job.segment.SegmentJob;
import org.nucleispark.job.segment.SegmentOptions;
import org.nucleispark.job.track.CtcExport;
import org.nucleispark.job.track.TrackJob;
import org.nucleispark.job.train.TrainEnsembleJob;
import org.nucleispark.job.train.TrainEnsembleOptions;
import org.nucleispark.ensemble.FeatureSet;
import org.nucleispark.ensemble.SelectionGrid;
import org.nucleispark.runtime.ExitCodes;
import org.nucleispark.runtime.Sessions;
import org.nucleispark.runtime.SetupException;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Callable;
import org.nucleispark.segment.SegmenterRegistry;
import org.nucleispark.segment.UNetOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import org.nucleispark.segment.BlockOptions;
import org.nucleispark.image.Modality;
import java.nio.file.Path;
import java.util.Set;
import org.nucleispark.track.TrackOptions;

/** Entry point of {@code bin/nucleispark} and of {@code spark-submit --class org.nucleispark.job.Main}. */
@Command(name = "nucleispark", mixinStandardHelpOptions = true, version = "nucleispark 0.1.0",
        description = "Segments nuclei in microscopy image corpora with Apache Spark and writes one row per nucleus to Parquet.",
        subcommands = {Main.Segment.class, Main.Evaluate.class, Main.TrainEnsemble.class, Main.Report.class, Main.TrackCommand.class, Main.Export.class, Main.EvaluateTracks.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        Segment.describeModels(cli.getSubcommands().get("segment").getCommandSpec());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof SetupException) {
                cmd.getErr().println("nucleispark: " + ex.getMessage());
                return ExitCodes.SETUP_ERROR;
            }
            throw ex;
        });
        cli.setExitCodeExceptionMapper(ex -> ExitCodes.SETUP_ERROR);
        return cli.execute(args);
    }

    /**
     * The command line for the run ledger, with --conf values masked: they can hold credentials
     * (spark.hadoop.fs.s3a.secret.key), and the ledger is read by anyone who reads the output.
     */
    static String arguments(CommandSpec spec) {
        if (spec == null) return "";
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        // originalArgs is the whole command line, the subcommand's name included
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            boolean confValue = i > 0 && args.get(i - 1).equals("--conf");
            if (confValue && a.contains("=")) a = a.substring(0, a.indexOf('=') + 1) + "***";
            if (a.startsWith("--conf=")) {
                int eq = a.indexOf('=', "--conf=".length());
                a = eq < 0 ? "--conf=***" : a.substring(0, eq + 1) + "***";
            }
            b.append(i == 0 ? "" : " ").append(a);
        }
        return b.toString();
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return ExitCodes.SETUP_ERROR;
    }

    @Command(name = "segment", mixinStandardHelpOptions = true,
            description = {"Segments every image under --input and writes images/, instances/, sequences/ and (with --labels) labels/ under --output.",
                    "Inputs: a folder tree of PNG/JPEG/TIFF files (multi-page TIFF pages are frames), or the DSB layout <id>/images/<id>.png.",
                    "Exit code: 0 when at least one image was processed (or, with --incremental, all were already done),",
                    "1 when none could be, 2 for setup errors."})
    static final class Segment implements Callable<Integer> {
        @Option(names = "--input", required = true, paramLabel = "URI",
                description = "Folder (or single file) of input images: a local path or any Hadoop URI (file:, s3a:, hdfs:, dbfs:).")
        String input;

        @Option(names = "--output", required = true, paramLabel = "URI",
                description = {"Output folder. Each run appends its rows under run_id=<id> folders and a row to runs/;",
                        "readers take, per input and model version, the latest finished run's rows (docs/reprocessing.md)."})
        String output;

        /** Preceded in the help by one line per registered model ({@link #describeModels}). */
        @Option(names = "--model", defaultValue = "ensemble", paramLabel = "NAME",
                description = "Default: ${DEFAULT-VALUE}, the best model shipped in models/ (figures: out-of-fold mAP over the "
                        + "DSB 2018 training set). See docs/architecture.md to add a model.")
        String model;

        /** --model's help lists the models of {@link SegmenterRegistry}: an annotation can only hold constants. */
        static void describeModels(CommandSpec segment) {
            OptionSpec model = segment.findOption("--model");
            List<String> lines = new ArrayList<>(List.of(SegmenterRegistry.help()));
            lines.addAll(List.of(model.description()));
            segment.remove(model);
            segment.addOption(model.toBuilder().description(lines.toArray(String[]::new)).build());
        }

        @Option(names = "--models-dir", defaultValue = "${sys:nucleispark.home:-.}/models", paramLabel = "URI",
                description = "Where trained models live (<model>/model.pt + model.json). Default: ${DEFAULT-VALUE}.")
        String modelsDir;

        @Option(names = "--labels", description = "Also write labels/<image_id>.png: 16-bit label images (0 = background) that open in napari and Fiji.")
        boolean labels;

        @Option(names = "--master", paramLabel = "MASTER",
                description = "Spark master for local runs, e.g. local[*] (the default when not launched by spark-submit).")
        String master;

        @Option(names = "--tta", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = {"U-Net: average predictions over flips on the images of the modalities --tta-modalities names",
                        "(default on; --no-tta runs one view on every image)."})
        boolean tta;

        @Option(names = "--tta-modalities", defaultValue = UNetOptions.DEFAULT_TTA_MODALITIES_TEXT, paramLabel = "LIST",
                description = {"U-Net with TTA: the modalities (as the canonical input detects them, or --modality forces) whose",
                        "images get the TTA views; the others run one. Default ${DEFAULT-VALUE}: the only type where the views paid",
                        "on held-out images (docs/benchmarks.md). all = every image (the default of earlier releases)."})
        String ttaModalities;

        @Option(names = "--tta-flips", defaultValue = "" + UNetOptions.DEFAULT_TTA_FLIPS, paramLabel = "2|4",
                description = "U-Net with TTA: views averaged, 4 (every flip, default) or 2 (as is and rotated by 180 degrees: half the TTA cost).")
        int ttaFlips;

        @Option(names = "--unet-threshold", paramLabel = "P",
                description = "U-Net: nucleus probability above which a pixel is foreground (default: the value tuned into model.json).")
        Double unetThreshold;

        @Option(names = "--border-threshold", paramLabel = "P",
                description = "U-Net: touching-border probability at or above which a pixel cannot seed a nucleus (default: the value tuned into model.json; "
                        + "with a model.json marker_margin a seed also needs nucleus - border above it).")
        Double borderThreshold;

        @Option(names = "--batch-size", defaultValue = "" + UNetOptions.DEFAULT_BATCH_SIZE, paramLabel = "N",
                description = {"U-Net: network inputs per engine call (tiles x TTA flips; default ${DEFAULT-VALUE}). On GPU executors raise it",
                        "(16-64) to keep the GPU busy; lower it if GPU memory runs out. Results do not depend on it."})
        int batchSize;

        @Option(names = "--pass-pixels", defaultValue = "" + UNetOptions.DEFAULT_PASS_PIXELS, paramLabel = "N",
                description = {"U-Net: run an image in one whole-image pass when its padded pixels x TTA flips are at most N "
                        + "(default ${DEFAULT-VALUE}: 1448x1448, or 724x724 with four TTA views); larger images are tiled. Whole passes do",
                        "less work and have no tile seams (ONNX Runtime on a CPU: 1.5x faster up to about 1-2 MP, slower beyond); lower N when executor memory is short;",
                        "0 = always tile, which is faster for libtorch on a CPU (--engine pytorch without a GPU): docs/benchmarks.md."})
        long passPixels;

        @Option(names = "--modality", defaultValue = "auto", paramLabel = "auto|fluorescence|brightfield|histology",
                description = "How nuclei appear, for models with a canonical input (the U-Net; the Mask R-CNN on fluorescence "
                        + "and brightfield): auto (default) decides per image; name one to force it for every image, e.g. histology "
                        + "for an H&E archive.")
        String modality;

        @Option(names = "--nucleus-diameter", defaultValue = "auto", paramLabel = "auto|off|PX",
                description = "Typical nucleus diameter in pixels, for models that record their training scale: auto (default) "
                        + "estimates it per image and shrinks the image to the model's scale when its nuclei are more than 1.5x larger "
                        + "(the U-Net) or 3x larger (the Mask R-CNN); images detected as colour histology are measured against the "
                        + "models' training histology, shrunk above 1.1x (U-Net) or 2x (Mask R-CNN) and enlarged below 1/1.5x (both); "
                        + "no other image is enlarged (model.json serving); off never rescales; "
                        + "a number is taken for every image. Images processed block by block (above --block-pixels) are measured once on four "
                        + "1024x1024 full-resolution windows and every block is rescaled alike.")
        String nucleusDiameter;

        @Option(names = "--engine", defaultValue = "auto", paramLabel = "auto|pytorch|onnxruntime",
                description = "Engine that runs the U-Net: auto (default) = ONNX Runtime on CPU executors when the model ships "
                        + "an ONNX copy (1.4-1.6x faster there, docs/benchmarks.md), PyTorch (TorchScript) on GPUs; or force one.")
        String engine;

        @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
                description = {"Number of Spark partitions (a partition is Spark's unit of retry). Default 0: 4 per core, and at least",
                        "one per 256 inputs, so that a failed task redoes minutes of work, not hours."})
        int partitions;

        @Option(names = "--conf", paramLabel = "KEY=VALUE",
                description = {"Extra Spark setting, repeatable, as spark-submit's --conf; spark.hadoop.X sets Hadoop's X,",
                        "e.g. spark.hadoop.fs.s3a.endpoint=http://minio:9000. Put credentials in the provider chain",
                        "(environment, instance role), not here: command lines are visible to other users."})
        Map<String, String> conf;

        @Option(names = "--manifest", paramLabel = "URI",
                description = {"Time-lapse corpus: CSV with header path,experiment,well,field,frame[,channel], or Parquet with those columns.",
                        "Paths are relative to --input or full URIs; only the files it names are processed."})
        String manifest;

        @Option(names = "--pattern", paramLabel = "TEMPLATE",
                description = {"Time-lapse corpus: a template for paths relative to --input, e.g. {experiment}/{well}_{field}_t{frame}.tif",
                        "(placeholders experiment, well, field, channel, frame). Files that do not match are still processed, without these fields."})
        String pattern;

        @Option(names = "--incremental",
                description = {"Process only inputs that have no current row for this model version yet (same path, size and",
                        "modification time, or same content with --identity hash); the rest are counted as done. Error rows count as done."})
        boolean incremental;

        @Option(names = "--reprocess", description = "Process every input, even with --incremental; the new rows supersede the old ones.")
        boolean reprocess;

        @Option(names = "--retry-failed", description = "With --incremental, also process inputs whose current row is an error row.")
        boolean retryFailed;

        @Option(names = "--identity", defaultValue = "stat", paramLabel = "stat|hash",
                description = {"How --incremental recognises an input it has done: stat = path + size + modification time (default),",
                        "hash = path + sha256 of the bytes (reads every file once more; survives copies that touch modification times)."})
        String identity;

        @Option(names = "--block-pixels", defaultValue = "16777216", paramLabel = "N",
                description = "Images (pages) with more pixels than this are segmented block by block, never decoded whole, "
                        + "so memory is bounded by the block size, not the image size; no label PNG is written for them. "
                        + "Default ${DEFAULT-VALUE} (4096x4096).")
        long blockPixels;

        @Option(names = "--block-size", defaultValue = "2048", paramLabel = "PX",
                description = "Side of each block's core for large images; a block owns the nuclei whose centroid lies in its core "
                        + "(default ${DEFAULT-VALUE}).")
        int blockSize;

        @Option(names = "--block-margin", defaultValue = "128", paramLabel = "PX",
                description = "Context read around each block's core: at least the largest nucleus, so that a nucleus cut by the "
                        + "core's edge is found whole (default ${DEFAULT-VALUE}).")
        int blockMargin;

        @Option(names = "--block-sample-pixels", defaultValue = "4194304", paramLabel = "N",
                description = "Pixels of the subsampled read from which a large image's normalisation and thresholds are taken "
                        + "(default ${DEFAULT-VALUE}).")
        long blockSamplePixels;

        @Option(names = "--track", arity = "0..1", defaultValue = "auto", fallbackValue = "on", paramLabel = "auto|on|off",
                description = {"Link the run's nuclei into tracks after segmenting (as the track command, appending track_ids/,",
                        "tracks/, track_runs/): auto (default) when the corpus has frames (--manifest, --pattern with {frame},",
                        "multi-page TIFFs), on (--track alone), off. Parameters: --max-link-distance, --max-gap, --divisions."})
        String track;

        @picocli.CommandLine.Mixin
        TrackParameters link;

        /** Test-only (hidden): see FaultInjection. */
        @Option(names = "--fail-first-attempt-of-partitions", split = ",", hidden = true, paramLabel = "P,...")
        Set<Integer> failFirstAttemptOf;

        @Spec
        CommandSpec commandSpec;

        @Override
        public Integer call() {
            SegmentOptions.Incremental runs = new SegmentOptions.Incremental(incremental, reprocess, retryFailed,
                    InputIdentity.parse(identity));
            FaultInjection faults = failFirstAttemptOf == null ? FaultInjection.NONE : new FaultInjection(failFirstAttemptOf);
            UNetOptions unet;
            try {
                unet = new UNetOptions(tta, unetThreshold == null ? Double.NaN : unetThreshold,
                        borderThreshold == null ? Double.NaN : borderThreshold, batchSize,
                        Modality.parseOrAuto(modality), UNetOptions.parseDiameter(nucleusDiameter),
                        InferenceEngine.parse(engine), passPixels, ttaFlips, UNetOptions.parseTtaModalities(ttaModalities));
            } catch (IllegalArgumentException e) {
                throw new SetupException(e.getMessage());
            }
            SegmentTracking tracking;
            try {
                tracking = new SegmentTracking(SegmentTracking.parseMode(track), link.options());
            } catch (IllegalArgumentException e) {
                throw new SetupException(e.getMessage());
            }
            return new SegmentJob(new SegmentOptions(input, output, model, modelsDir, labels, master, partitions, unet, conf,
                    manifest, pattern, runs, faults, arguments(commandSpec), blocks()), tracking).run();
        }

        private BlockOptions blocks() {
            try {
                return new BlockOptions(blockPixels, blockSize, blockMargin, blockSamplePixels);
            } catch (IllegalArgumentException e) {
                throw new SetupException(e.getMessage());
            }
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = {"Scores a segment output against ground truth with the Data Science Bowl 2018 metric and friends.",
                    "Writes metrics.json and a per-image Parquet table (per_image/) under --output and prints a short table."})
    static final class Evaluate implements Callable<Integer> {
        @Mixin
        LabelledResults in;

        @Option(names = "--output", required = true, paramLabel = "URI", description = "Where metrics.json and per_image/ go.")
        String output;

        @Option(names = "--model-version", paramLabel = "VERSION",
                description = "Score this model version's results (an output can hold several); default: the latest run's. "
                        + "A comma-separated list scores several versions that segmented disjoint images, e.g. "
                        + "the fold models of a cross-validation (out-of-fold evaluation).")
        String modelVersion;

        @Override
        public Integer call() {
            return new EvaluateJob(new EvaluateOptions(in.predictions, in.groundTruth, output, in.master, modelVersion)).run();
        }
    }

    @Command(name = "train-ensemble", mixinStandardHelpOptions = true,
            description = {"Trains the ensemble's IoU regressor (MLlib GBTRegressor variants) on both CNNs' out-of-fold "
                    + "instances over a labelled set, tunes its selection by grouped cross-validation and writes the model.",
                    "Writes mllib/<variant>/, trees.json and model.json (features, figures) under --output."})
    static final class TrainEnsemble implements Callable<Integer> {
        @Mixin
        LabelledResults in;

        @Option(names = "--output", required = true, paramLabel = "URI", description = "Model folder, e.g. models/ensemble.")
        String output;

        @Option(names = "--max-iter", defaultValue = "60", paramLabel = "N", description = "Boosting iterations per variant (default ${DEFAULT-VALUE}).")
        int maxIter;

        @Option(names = "--folds", defaultValue = "4", paramLabel = "K", description = "Grouped cross-validation folds (images are the unit; default ${DEFAULT-VALUE}).")
        int folds;

        @Option(names = "--seeds", defaultValue = "" + TrainEnsembleOptions.DEFAULT_SEEDS, paramLabel = "N",
                description = "Fits of each variant on other random draws, averaged: less variance in what the trees select "
                        + "(default ${DEFAULT-VALUE}; 1 = earlier releases, N times faster to train).")
        int seeds;

        @Option(names = "--intensity-features", description = "Also give the regressor each candidate's intensity "
                + "(mean, spread, contrast to a 2-px ring; images decoded again). Off by default: measured worse (docs/training.md).")
        boolean intensityFeatures;

        @Option(names = "--features", defaultValue = "scale-free", paramLabel = "SET",
                description = "Candidate features the trees see: scale-free (sizes and distances over the image's median "
                        + "candidate; default) or thesis (in the image's pixels, the ensembles fitted before 2026-12-08).")
        String features;

        @Option(names = "--max-overlap", defaultValue = "0.3", paramLabel = "IOU|auto",
                description = "The selection's NMS: a candidate overlapping a better one by more than this IoU is dropped "
                        + "(default ${DEFAULT-VALUE}, the thesis'); auto tries 0.1-0.5 on the cross-validated predictions.")
        String maxOverlap;

        @Option(names = "--min-predicted-iou", defaultValue = "auto", paramLabel = "IOU|auto",
                description = "Candidates predicted below this IoU are dropped; auto (default) tries 0-0.6 on the "
                        + "cross-validated predictions and keeps the best mAP.")
        String minPredictedIou;

        @Option(names = "--model-version", paramLabel = "VERSION[,VERSION…]",
                description = "Train on these model versions' results only (e.g. the 4 U-Net and 4 Mask R-CNN fold models' "
                        + "when the output also holds older runs); default: every current result.")
        String modelVersion;

        @Option(names = "--oof-output", paramLabel = "URI",
                description = "Also write the ensemble's out-of-fold predictions (each image selected by the cross-validation "
                        + "model that did not see it) as a segment output, for evaluate and report.")
        String oofOutput;

        @Override
        public Integer call() {
            return new TrainEnsembleJob(new TrainEnsembleOptions(in.predictions, in.groundTruth, output, in.master, maxIter, folds,
                    intensityFeatures, modelVersion == null ? List.of() : EvaluateJob.modelVersions(modelVersion), oofOutput, seeds,
                    parseFeatures(features), selection(maxOverlap, minPredictedIou))).run();
        }

        /** "auto" = tried on the cross-validated predictions; a number = fixed. */
        static SelectionGrid selection(String maxOverlap, String minPredictedIou) {
            try {
                return SelectionGrid.of(autoOrValue(maxOverlap, "--max-overlap"), autoOrValue(minPredictedIou, "--min-predicted-iou"));
            } catch (IllegalArgumentException e) {
                throw new SetupException("train-ensemble: " + e.getMessage());
            }
        }

        private static Double autoOrValue(String value, String option) {
            if (value.strip().equalsIgnoreCase("auto")) return null;
            try {
                return Double.parseDouble(value.strip());
            } catch (NumberFormatException e) {
                throw new SetupException("train-ensemble: " + option + " takes auto or an IoU in [0, 1], got " + value);
            }
        }

        private static FeatureSet parseFeatures(String key) {
            try {
                return FeatureSet.parse(key);
            } catch (IllegalArgumentException e) {
                throw new SetupException("train-ensemble: " + e.getMessage());
            }
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = {"Writes a visual report comparing evaluate outputs: index.html under --output,",
                    "with PNG plots (AP by IoU threshold; recall by nucleus size, shape and crowding;",
                    "scores per image type; the ensemble's sources) and overlays of each",
                    "evaluation's best and worst images; a tracking section when a segment output has tracks."})
    static final class Report implements Callable<Integer> {
        @Option(names = "--evaluations", split = ",", paramLabel = "URI",
                description = "evaluate outputs to compare (each has metrics.json, per_image/, nuclei/, predictions/); "
                        + "the first one's images and ground truth define image types and recall bins.")
        List<String> evaluations;

        @Option(names = "--predictions", split = ",", paramLabel = "URI",
                description = "segment outputs whose tracks to show (a tracking section: track lengths, divisions per frame, "
                        + "tracks drawn over their first frame), with or without --evaluations; the evaluations' own segment "
                        + "outputs are shown when they have tracks.")
        java.util.List<String> predictions;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where index.html and its PNGs go.")
        String output;

        @Option(names = "--image-types", defaultValue = "4", paramLabel = "K",
                description = "Number of image types (k-means clusters of the images' intensity histograms; default ${DEFAULT-VALUE}).")
        int imageTypes;

        @Option(names = "--master", paramLabel = "MASTER", description = "Spark master for local runs (default local[*]).")
        String master;

        @Override
        public Integer call() {
            return new ReportJob(new ReportJob.Options(evaluations, output, imageTypes, master, predictions)).run();
        }
    }

    @Command(name = "track", mixinStandardHelpOptions = true,
            description = {"Links the current instances of a segment output into tracks per sequence (experiment, well, field,",
                    "channel; by frame): LAP linking with gap closing and divisions (Jaqaman et al. 2008, as TrackMate).",
                    "Appends track_ids/ and tracks/ and a track_runs/ row; relinking with the same parameters is idempotent."})
    static final class TrackCommand implements Callable<Integer> {
        @Option(names = "--predictions", required = true, paramLabel = "URI", description = "A segment output folder.")
        String predictions;

        @picocli.CommandLine.Mixin
        TrackParameters link;

        @Option(names = "--master", paramLabel = "MASTER", description = "Spark master for local runs (default local[*]).")
        String master;

        @Override
        public Integer call() {
            return new TrackJob(predictions, link.options(), master).run();
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Writes a segment output in another format. ctc: its latest tracking in the Cell Tracking Challenge's",
                    "result layout (maskTTT.tif label = track, res_track.txt); straight into --output when there is one sequence,",
                    "else one folder per sequence. instances (Parquet) or csv: one row per current nucleus with its track_id",
                    "(null when not tracked), frame and sequence keys."})
    static final class Export implements Callable<Integer> {
        @Option(names = "--predictions", required = true, paramLabel = "URI", description = "A segment output (tracked, for ctc).")
        String predictions;

        @Option(names = "--format", required = true, paramLabel = "ctc|instances|csv", description = "ctc, instances or csv")
        String format;

        @Option(names = "--output", required = true, paramLabel = "URI",
                description = "Folder to write to: a local path or any Hadoop URI (file:, s3a:, hdfs:, dbfs:).")
        String output;

        @Option(names = "--master", paramLabel = "MASTER", description = "Spark master for local runs (default local[*]).")
        String master;

        @Option(names = "--conf", paramLabel = "KEY=VALUE",
                description = "Extra Spark setting, repeatable, as segment's (spark.hadoop.fs.s3a.endpoint=… for an S3 --output).")
        Map<String, String> conf;

        @Override
        public Integer call() throws Exception {
            if (!ExportJob.FORMATS.contains(format)) throw new ParameterException(new CommandLine(this),
                    "unknown --format: " + format + " (one of " + String.join(", ", ExportJob.FORMATS) + ")");
            try (Sessions session = Sessions.open("nucleispark export", master, conf == null ? Map.of() : conf)) {
                String what = ExportJob.export(session.spark(), predictions, format, output);
                System.out.println("export: " + what + " to " + output);
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "evaluate-tracks", mixinStandardHelpOptions = true,
            description = {"Scores the latest tracking of a one-sequence segment output against CTC ground truth",
                    "(TRA/man_trackTTT.tif, TRA/man_track.txt, SEG/): prints DET, SEG and TRA as the CTC defines them."})
    static final class EvaluateTracks implements Callable<Integer> {
        @Option(names = "--predictions", required = true, paramLabel = "URI", description = "A segment output that track has linked.")
        String predictions;

        @Option(names = "--ground-truth", required = true, paramLabel = "DIR", description = "A local CTC ground-truth folder (holding TRA/).")
        String groundTruth;

        @Option(names = "--master", paramLabel = "MASTER", description = "Spark master for local runs (default local[*]).")
        String master;

        @Override
        public Integer call() throws Exception {
            try (Sessions session = Sessions.open("nucleispark evaluate-tracks", master)) {
                System.out.println(CtcExport.evaluate(session.spark(), predictions, Path.of(groundTruth)).summary());
                return ExitCodes.OK;
            }
        }
    }

    /** What evaluate and train-ensemble both read: a segment output and the ground truth of its images. */
    static final class LabelledResults {
        @Option(names = "--predictions", required = true, paramLabel = "URI",
                description = "A segment output folder (its images/ and instances/ are read; train-ensemble needs unet and "
                        + "maskrcnn results, one version of each per image).")
        String predictions;

        @Option(names = "--ground-truth", required = true, paramLabel = "URI",
                description = "Ground truth: the DSB layout (<id>/masks/*.png, one PNG per nucleus) or a folder of label images <image_id>.png.")
        String groundTruth;

        @Option(names = "--master", paramLabel = "MASTER", description = "Spark master for local runs (default local[*]).")
        String master;
    }
}
