package org.nucleispark.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.nucleispark.image.DecodeResult;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.image.LabelImage;
import org.nucleispark.io.GroundTruthItem;
import org.nucleispark.io.GroundTruthMasks;
import org.nucleispark.io.LabelPng;
import org.nucleispark.io.SerializableConfiguration;

/**
 * Reads one image's ground truth on an executor, from a row with {@code image_id}, {@code mask_paths}
 * (DSB layout: one PNG per nucleus) and {@code label_path} (a label image), whichever is set.
 */
public final class GroundTruthReader implements Serializable {
    private final SerializableConfiguration conf;
    /** Not serializable; built on the executor. */
    private transient ImageDecoder decoder;

    public GroundTruthReader(SerializableConfiguration conf) {
        this.conf = conf;
    }

    public LabelImage read(Row r) throws IOException {
        return read(r.getAs("image_id"), r.getList(r.fieldIndex("mask_paths")), r.getAs("label_path"));
    }

    public LabelImage read(GroundTruthItem item) throws IOException {
        return read(item.imageId(), item.maskPaths(), item.labelPath());
    }

    private LabelImage read(String imageId, List<String> maskPaths, String labelPath) throws IOException {
        if (decoder == null) decoder = new ImageDecoder();
        if (maskPaths != null && !maskPaths.isEmpty()) {
            List<GroundTruthMasks.Mask> masks = new ArrayList<>(maskPaths.size());
            for (String p : maskPaths) masks.add(new GroundTruthMasks.Mask(p, bytes(p)));
            // DSB ground truth has no image size of its own: every mask has the image's size
            DecodeResult first = decoder.decode(maskPaths.get(0), masks.get(0).bytes());
            if (!first.isOk()) throw new IOException("ground-truth mask " + maskPaths.get(0) + ": " + first.error());
            Image size = first.frames().get(0).image();
            GroundTruthMasks.Result truth = GroundTruthMasks.build(size.width(), size.height(), masks, decoder);
            if (!truth.isOk()) throw new IOException("ground truth of " + imageId + ": " + truth.error());
            return truth.labels();
        }
        return LabelPng.read(bytes(labelPath));
    }

    /** A file's bytes through the job's Hadoop configuration (s3a:, file:, …). */
    public byte[] bytes(String path) throws IOException {
        Path p = new Path(path);
        try (InputStream in = p.getFileSystem(conf.get()).open(p)) {
            return in.readAllBytes();
        }
    }
}
