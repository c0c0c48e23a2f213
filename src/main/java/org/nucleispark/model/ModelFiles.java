package org.nucleispark.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import java.nio.file.Paths;
import org.apache.spark.SparkEnv;
import java.util.stream.Stream;

/**
 * Locates a model under {@code <modelsDir>/<name>/}, on any Hadoop FileSystem, verifies its weights
 * against the sha256 in {@code model.json}, and gives the engine a local copy (libtorch reads local
 * files only). A wrong or missing file stops the run before any image is processed.
 */
public final class ModelFiles {
    private final ModelMetadata metadata;
    private final java.nio.file.Path localWeights;
    private final java.nio.file.Path localOnnx;

    private ModelFiles(ModelMetadata metadata, java.nio.file.Path localWeights, java.nio.file.Path localOnnx) {
        this.metadata = metadata;
        this.localWeights = localWeights;
        this.localOnnx = localOnnx;
    }

    public ModelMetadata metadata() { return metadata; }

    /** The TorchScript weights (the model of record: its sha256 is the model's version). */
    public java.nio.file.Path localWeights() { return localWeights; }

    /** The verified ONNX copy of the weights ({@code onnx} in model.json), or null when the model has none. */
    public java.nio.file.Path localOnnx() { return localOnnx; }

    public static ModelFiles resolve(String modelsDir, String name, Configuration conf) {
        Path dir = new Path(modelsDir, name);
        Path json = new Path(dir, "model.json");
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if (!fs.exists(json)) {
                throw new ModelUnavailableException("model '" + name + "' is not installed: " + json
                        + " does not exist; train and export it (docs/training.md) or pass --models-dir");
            }
            String text;
            try (InputStream in = fs.open(json)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            ModelMetadata meta = ModelMetadata.parse(text, json.toString());
            java.nio.file.Path weights = verifiedCopy(fs, new Path(dir, meta.file()), meta.sha256(), name, ".pt");
            java.nio.file.Path onnx = null;
            if (meta.onnxFile() != null) {
                try {
                    onnx = verifiedCopy(fs, new Path(dir, meta.onnxFile()), meta.onnxSha256(), name, ".onnx");
                } catch (ModelUnavailableException | IOException e) {
                    Files.deleteIfExists(weights);
                    throw e;
                }
            }
            return new ModelFiles(meta, weights, onnx);
        } catch (IOException e) {
            throw new ModelUnavailableException("model '" + name + "' cannot be read from " + dir + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a weights file named by model.json to a local file, checking its sha256 on the way. */
    private static java.nio.file.Path verifiedCopy(FileSystem fs, Path weights, String sha256, String name, String suffix)
            throws IOException, NoSuchAlgorithmException {
        if (!fs.exists(weights)) {
            throw new ModelUnavailableException("model '" + name + "': " + weights + " named by model.json does not exist");
        }
        java.nio.file.Path local = localCopy(name, suffix);
        String actual;
        try (DigestInputStream in = new DigestInputStream(fs.open(weights), MessageDigest.getInstance("SHA-256"))) {
            Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
            actual = HexFormat.of().formatHex(in.getMessageDigest().digest());
        }
        if (!actual.equalsIgnoreCase(sha256)) {
            Files.deleteIfExists(local);
            throw new ModelUnavailableException("model '" + name + "': " + weights + " has sha256 " + actual
                    + " but model.json expects " + sha256
                    + "; the file is corrupt or was replaced without re-exporting (re-run the export, or restore the file)");
        }
        return local;
    }

    /** Deletes the local copies of the weights (once the engine has loaded them; they live in memory then). */
    public void deleteLocalCopy() {
        try {
            Files.deleteIfExists(localWeights);
            if (localOnnx != null) Files.deleteIfExists(localOnnx);
        } catch (IOException e) {
            // left for deleteOnExit or the next start's sweep
        }
    }

    /**
     * Where libtorch's local copy of the weights goes: in an executor, nucleispark-weights/ in its working directory (the
     * standalone worker's work/app-id/executor-id, YARN's container directory, the pod's filesystem),
     * which the cluster manager removes with the executor; elsewhere java.io.tmpdir. The name carries
     * this JVM's pid, and copies of JVMs that no longer run (killed before they could delete theirs)
     * are removed here, at the next start.
     */
    static java.nio.file.Path localCopy(String name, String suffix) throws IOException {
        java.nio.file.Path dir = copyDirectory();
        sweepStaleCopies(dir, name);
        java.nio.file.Path local = Files.createTempFile(dir, "nucleispark-" + name + "-" + ProcessHandle.current().pid() + "-", suffix);
        local.toFile().deleteOnExit();
        return local;
    }

    static java.nio.file.Path copyDirectory() {
        SparkEnv env = SparkEnv.get();
        boolean executor = env != null && !"driver".equals(env.executorId());
        if (!executor) return Paths.get(System.getProperty("java.io.tmpdir"));
        // a folder of its own: next to the app jar Spark puts in the work directory, DJL failed to load
        // the copy ("Parameter file not found in: <work dir>"), as found by bin/cluster-test
        java.nio.file.Path dir = Paths.get("").toAbsolutePath().resolve("nucleispark-weights");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            return Paths.get(System.getProperty("java.io.tmpdir"));
        }
    }

    /** Deletes nucleispark-NAME-PID-*.pt and .onnx copies whose JVM is gone. Returns how many. */
    static int sweepStaleCopies(java.nio.file.Path dir, String name) {
        String prefix = "nucleispark-" + name + "-";
        int removed = 0;
        try (Stream<java.nio.file.Path> files = Files.list(dir)) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (!n.startsWith(prefix) || !(n.endsWith(".pt") || n.endsWith(".onnx"))) continue;
                String[] parts = n.substring(prefix.length()).split("-", 2);
                long pid;
                try {
                    pid = parts.length == 2 ? Long.parseLong(parts[0]) : -1;
                } catch (NumberFormatException e) {
                    pid = -1;
                }
                boolean stale = pid > 0
                        ? ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)
                        // an older release's name without pid: stale once a day old
                        : Files.getLastModifiedTime(f).toMillis() < System.currentTimeMillis() - 86_400_000L;
                if (stale && Files.deleteIfExists(f)) removed++;
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a file another user owns, a directory we cannot list
        }
        return removed;
    }

    /** Lower-case hex SHA-256 of the bytes: what model.json files record for their weights. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
