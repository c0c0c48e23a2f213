package org.nucleispark.job.segment;

import org.nucleispark.runtime.SetupException;
import org.nucleispark.segment.SegmenterRegistry;
import java.net.URI;
import java.nio.file.Paths;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import java.net.URISyntaxException;

/**
 * Where executors read models from, decided once on the driver before any image is read.
 *
 * <p>Decision (issue 16): a relative or scheme-less {@code --models-dir} is resolved to an absolute
 * {@code file:} URI on the driver, and with a non-local master such a driver-disk path is refused
 * with the fix, instead of shipping {@code models/} inside the cluster jar. Why: the weights change
 * more often than the code (new exports, fine-tuned versions side by side), the jar is already 150 MB
 * and every executor downloads it, and a classpath default would silently run whatever models the
 * jar was built with. A refusal costs the user one flag ({@code --models-dir s3a://bucket/models});
 * the old behaviour cost a minute of 4-attempt task failures on every executor. An explicit
 * {@code file:///...} URI is accepted on a cluster: it says "this directory is mounted on every node"
 * (NFS, a Kubernetes volume, a path baked into the image).
 */
final class ModelsLocation {
    private ModelsLocation() {}

    /**
     * @param modelsDir as given (or defaulted) on the command line
     * @param master    the effective Spark master ("local[2]", "spark://h:7077", "yarn", "k8s://...")
     * @param model     the model name; one that reads no files ({@code classical}) is never refused
     * @return the URI executors use: {@code modelsDir} when it has a scheme, else its absolute {@code file:} URI
     */
    static String forExecutors(String modelsDir, String master, String model) {
        boolean schemeGiven = hasScheme(modelsDir);
        String resolved = schemeGiven ? modelsDir : Paths.get(modelsDir).toAbsolutePath().normalize().toUri().toString().replaceAll("/$", "");
        if (schemeGiven || isLocal(master) || readsNoFiles(model)) return resolved;
        throw new SetupException("--models-dir " + modelsDir + " is a path on the driver's disk (" + resolved
                + "), which executors on " + master + " cannot read; copy models/ to storage every executor reaches and pass it, "
                + "e.g. --models-dir s3a://bucket/models (or hdfs://..., dbfs:/Volumes/...), "
                + "or write file:///path when that directory is mounted on every node");
    }

    private static boolean readsNoFiles(String model) {
        return SegmenterRegistry.find(model).map(f -> f.modelFolders().isEmpty()).orElse(false);
    }

    static boolean isLocal(String master) {
        return master == null || master.isBlank() || master.startsWith("local");
    }

    /** The master this run will use: --master, else spark-submit's spark.master, else a running session's, else local. */
    static String effectiveMaster(String optionMaster) {
        if (optionMaster != null && !optionMaster.isBlank()) return optionMaster;
        scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
        if (existing.isDefined()) return existing.get().sparkContext().master();
        return new SparkConf().get("spark.master", "local[*]");
    }

    private static boolean hasScheme(String dir) {
        // a Windows drive letter is not a scheme; a URI parse error means a plain path with odd characters
        if (dir.length() > 1 && dir.charAt(1) == ':' && Character.isLetter(dir.charAt(0))) return false;
        try {
            String scheme = new URI(dir).getScheme();
            return scheme != null && !scheme.isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
