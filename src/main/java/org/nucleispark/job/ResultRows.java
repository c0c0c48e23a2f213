package org.nucleispark.job;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.nucleispark.io.InputFile;
import org.nucleispark.io.LabelPng;
import org.nucleispark.measure.InstanceFeatures;
import org.nucleispark.segment.ProcessedImage;

/** ProcessedImage → a row of {@link org.nucleispark.io.OutputSchemas#SEGMENT_RESULT}. */
final class ResultRows {
    private ResultRows() {}

    static Row of(ProcessedImage p, InputFile file, boolean withLabels) {
        Row image = RowFactory.create(
                p.imageId(), p.path(), p.frame() < 0 ? null : p.frame(),
                p.width() < 0 ? null : p.width(), p.height() < 0 ? null : p.height(),
                p.channels() < 0 ? null : p.channels(), p.bitDepth() < 0 ? null : p.bitDepth(),
                p.ok() ? "ok" : "error", p.error(), p.ok() ? p.instances().size() : null,
                p.model(), p.modelVersion(), p.seconds(), file.size(), file.modificationTime());
        List<Row> instances = new ArrayList<>(p.instances().size());
        for (InstanceFeatures f : p.instances()) {
            instances.add(RowFactory.create(
                    p.imageId(), f.label(), p.model(), p.modelVersion(),
                    f.x0(), f.y0(), f.x1(), f.y1(), f.centroidX(), f.centroidY(),
                    f.area(), f.perimeter(), f.equivalentDiameter(), f.majorAxisLength(), f.minorAxisLength(),
                    f.eccentricity(), f.orientation(), f.convexArea(), f.solidity(), f.extent(),
                    Double.isNaN(f.score()) ? null : f.score(), p.rle().get(f.label())));
        }
        byte[] png = withLabels && p.ok() ? LabelPng.write(p.labels()) : null;
        // Spark 3.5 rows need Scala Seqs for array columns
        return RowFactory.create(image, scala.collection.JavaConverters.asScalaBuffer(instances).toList(), png);
    }
}
