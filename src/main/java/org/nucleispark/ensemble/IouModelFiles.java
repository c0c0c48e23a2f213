package org.nucleispark.ensemble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nucleispark.model.ModelFiles;
import org.nucleispark.model.ModelUnavailableException;

/**
 * Loads {@code <modelsDir>/ensemble/}: model.json names trees.json and its sha256, as the CNNs'
 * model.json names their weights; any Hadoop FileSystem. A wrong or missing file stops the run
 * before any image is read.
 */
public final class IouModelFiles {
    private IouModelFiles() {}

    public record Loaded(IouModel model, String sha256) {}

    public static Loaded load(String modelsDir, Configuration conf) {
        Path dir = new Path(modelsDir, "ensemble");
        Path json = new Path(dir, "model.json");
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if (!fs.exists(json)) {
                throw new ModelUnavailableException("model 'ensemble' is not installed: " + json + " does not exist; "
                        + "train it with train-ensemble (docs/training.md) or pass --models-dir");
            }
            JsonNode meta = new ObjectMapper().readTree(read(fs, json));
            Path trees = new Path(dir, meta.path("file").asText("trees.json"));
            if (!fs.exists(trees)) {
                throw new ModelUnavailableException("model 'ensemble': " + trees + " named by model.json does not exist");
            }
            byte[] bytes = read(fs, trees);
            String actual = ModelFiles.sha256Hex(bytes);
            if (!actual.equalsIgnoreCase(meta.path("sha256").asText())) {
                throw new ModelUnavailableException("model 'ensemble': " + trees + " has sha256 " + actual + " but model.json "
                        + "expects " + meta.path("sha256").asText() + "; the file is corrupt or was replaced (retrain or restore it)");
            }
            return new Loaded(IouModel.fromJson(new String(bytes, StandardCharsets.UTF_8)), actual);
        } catch (IOException e) {
            throw new ModelUnavailableException("model 'ensemble' cannot be read from " + dir + ": " + e.getMessage());
        }
    }

    private static byte[] read(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }
}
