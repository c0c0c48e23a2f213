package org.nucleispark.store;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.nucleispark.io.InputFile;
import org.nucleispark.io.SerializableConfiguration;

/**
 * {@code --identity hash}: the sha256 of every input's bytes, computed by executors (the driver would
 * have to read the whole corpus) in a stage of its own. A file that cannot be read gets null, and its
 * identity falls back to size and modification time (see {@link org.nucleispark.job.segment.PendingInputs}).
 */
public final class ContentHashes {
    private ContentHashes() {}

    public static List<InputFile> attach(JavaSparkContext jsc, List<InputFile> inputs, SerializableConfiguration conf, int partitions) {
        if (inputs.isEmpty()) return inputs;
        // collect keeps the listing's order (partitions come back in order), which the partition plan relies on
        return new ArrayList<>(jsc.parallelize(inputs, Math.max(1, Math.min(inputs.size(), partitions)))
                .map(f -> f.withContentSha256(sha256(f, conf))).collect());
    }

    public static String sha256(InputFile f, SerializableConfiguration conf) {
        if (f.missing()) return null;
        Path p = new Path(f.path());
        try (InputStream in = p.getFileSystem(conf.get()).open(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
