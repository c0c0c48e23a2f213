package org.nucleispark.job.segment;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.nucleispark.io.SerializableConfiguration;

/**
 * Writes {@code labels/<image_id>.png} from executors. Each file is written under a temporary name
 * and renamed into place, so a reader never sees half a PNG and a retried task simply replaces it.
 */
final class LabelFiles implements ForeachPartitionFunction<Row> {
    private final String labelsDir;
    private final SerializableConfiguration conf;

    LabelFiles(String labelsDir, SerializableConfiguration conf) {
        this.labelsDir = labelsDir;
        this.conf = conf;
    }

    static Path pathFor(String labelsDir, String imageId) {
        return new Path(labelsDir + "/" + imageId + ".png");
    }

    @Override
    public void call(Iterator<Row> rows) throws IOException {
        while (rows.hasNext()) {
            Row r = rows.next();
            byte[] png = r.getAs("label_png");
            if (png == null) continue;
            String imageId = r.<Row>getAs("image").getAs("image_id");
            Path target = pathFor(labelsDir, imageId);
            FileSystem fs = target.getFileSystem(conf.get());
            if (fs instanceof LocalFileSystem local) {
                writeLocal(local.pathToFile(target).toPath(), png);
                continue;
            }
            Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(png);
            }
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                fs.delete(tmp, false);
                throw new IOException("could not move label image into place: " + target);
            }
        }
    }

    /**
     * The same write-then-rename on a local disk, through java.nio: Hadoop's local file system sets each
     * new file's permissions by forking a chmod process when its native library is absent (the usual
     * case), 22 ms a file, and writes a .crc file beside each PNG that no viewer wants.
     */
    private static void writeLocal(java.nio.file.Path target, byte[] png) throws IOException {
        Files.createDirectories(target.getParent());
        java.nio.file.Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.write(tmp, png);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
