package org.nucleispark.job.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import org.apache.hadoop.fs.Path;
import org.nucleispark.image.DecodeResult;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.io.SerializableConfiguration;

/** Reads and decodes an input image again, on the driver or an executor, for the report. */
final class SourceImages implements Serializable {
    private final SerializableConfiguration conf;
    /** Not serializable; built where it is used. */
    private transient ImageDecoder decoder;

    SourceImages(SerializableConfiguration conf) {
        this.conf = conf;
    }

    /** @throws IOException when the file cannot be read or decoded (it was when segment ran) */
    Image load(EvaluationRun.ImageSource source) throws IOException {
        if (decoder == null) decoder = new ImageDecoder();
        Path p = new Path(source.path());
        byte[] bytes;
        try (InputStream in = p.getFileSystem(conf.get()).open(p)) {
            bytes = in.readAllBytes();
        }
        DecodeResult r = decoder.decode(source.path(), bytes);
        if (!r.isOk()) throw new IOException(source.path() + ": " + r.error());
        if (source.frame() >= r.frames().size()) {
            throw new IOException(source.path() + " has " + r.frames().size() + " pages, not page " + source.frame());
        }
        return r.frames().get(source.frame()).image();
    }
}
