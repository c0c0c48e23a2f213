package org.nucleispark.store;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.nucleispark.io.InputFile;
import org.nucleispark.io.LabelPng;
import org.nucleispark.io.SequenceFields;
import org.nucleispark.measure.InstanceFeatures;
import org.nucleispark.segment.ProcessedImage;
import org.nucleispark.image.Segmentation;
import scala.collection.JavaConverters;

/** ProcessedImage → a row of {@link org.nucleispark.io.OutputSchemas#SEGMENT_RESULT}. */
public final class ResultRows {
    private ResultRows() {}

    public static Row of(ProcessedImage p, InputFile file, boolean withLabels) {
        return of(p, file, withLabels, StageSeconds.NONE);
    }

    public static Row of(ProcessedImage p, InputFile file, boolean withLabels, StageSeconds stages) {
        long t0 = System.nanoTime();
        SequenceFields seq = file.sequence();
        Integer frame = frame(p.frame(), seq.frame());
        List<Row> instances = new ArrayList<>(p.instances().size());
        int[] areas = new int[p.instances().size()];
        Segmentation seg = p.segmentation();
        for (InstanceFeatures f : p.instances()) {
            areas[instances.size()] = f.area();
            instances.add(RowFactory.create(
                    p.imageId(), f.label(), p.model(), p.modelVersion(),
                    f.x0(), f.y0(), f.x1(), f.y1(), f.centroidX(), f.centroidY(),
                    f.area(), f.perimeter(), f.equivalentDiameter(), f.majorAxisLength(), f.minorAxisLength(),
                    f.eccentricity(), f.orientation(), f.convexArea(), f.solidity(), f.extent(),
                    nullIfNaN(f.score()), p.rle().get(f.label()),
                    seg.source(f.label(), p.model()), nullIfNaN(seg.predictedIou(f.label()))));
        }
        // none for a block-processed image: the PNG would be as large as the image itself
        byte[] png = withLabels && p.ok() && p.labels() != null ? LabelPng.write(p.labels()) : null;
        Row sequence = null;
        if (p.ok()) {
            FrameAggregates a = FrameAggregates.of(areas, (long) p.width() * p.height());
            sequence = RowFactory.create(p.imageId(), p.model(), p.modelVersion(),
                    seq.experiment(), seq.well(), seq.field(), seq.channel(), frame,
                    a.nNuclei(), nullIfNaN(a.meanArea()), nullIfNaN(a.medianArea()), nullIfNaN(a.nuclearAreaFraction()));
        }
        double encode = (System.nanoTime() - t0) / 1e9;
        Row image = RowFactory.create(
                p.imageId(), p.path(), frame,
                p.width() < 0 ? null : p.width(), p.height() < 0 ? null : p.height(),
                p.channels() < 0 ? null : p.channels(), p.bitDepth() < 0 ? null : p.bitDepth(),
                p.ok() ? "ok" : "error", p.error(), p.ok() ? p.instances().size() : null,
                p.model(), p.modelVersion(), p.seconds(), file.size(), file.modificationTime(),
                seq.experiment(), seq.well(), seq.field(), seq.channel(),
                stages.read(), stages.decode(), stages.inference(), stages.postprocess(), stages.measure(), encode, file.contentSha256());
        // Spark 3.5 rows need Scala Seqs for array columns
        return RowFactory.create(image, JavaConverters.asScalaBuffer(instances).toList(), png, sequence);
    }

    /**
     * The time index: a stack's page continues from the frame its file was given (a time-lapse split
     * into stack files t0-99, t100-199 stays in order), a single image takes its given frame, and a
     * stack without one numbers its pages from 0.
     */
    static Integer frame(int page, Integer given) {
        if (page >= 0) return given == null ? page : given + page;
        return given;
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
