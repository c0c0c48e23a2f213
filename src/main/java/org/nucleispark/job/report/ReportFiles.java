package org.nucleispark.job.report;

import org.nucleispark.runtime.SetupException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Writes the report's files under its output folder, through Hadoop's FileSystem (local, s3a:, …). */
final class ReportFiles {
    private final String output;
    private final Configuration conf;

    ReportFiles(String output, Configuration conf) {
        this.output = output;
        this.conf = conf;
    }

    /** @param relative a path below the output folder, e.g. "plots/ap.png" */
    void write(String relative, byte[] bytes) {
        Path p = new Path(output, relative);
        try (OutputStream out = p.getFileSystem(conf).create(p, true)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new SetupException("cannot write " + p + ": " + e.getMessage());
        }
    }

    void write(String relative, String text) {
        write(relative, text.getBytes(StandardCharsets.UTF_8));
    }
}
