package org.nucleispark.job.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.Image;
import org.nucleispark.image.ImageDecoder;
import org.nucleispark.segment.SegmenterSpec;
import org.nucleispark.segment.Segmenters;

/** The inference share of a segment call, as the job records it, on the shipped models. */
class TimedSegmenterTest {
    private static final String ID = "b0d6dfcc95e4d087d232378f860fc3ef9f95ea5a4c26d623a0be091f820a793f"; // 256x256

    private static long[] timedCall(String model) throws IOException {
        byte[] png = Files.readAllBytes(Path.of("sample-data/dsb", ID, "images", ID + ".png"));
        Image image = new ImageDecoder().decode(ID, png).frames().get(0).image();
        TimedSegmenter timed = new TimedSegmenter(Segmenters.get(new SegmenterSpec(model, "models"), new Configuration()));
        timed.segment(image); // the first call of a model pays one-off costs; time the second
        timed.reset();
        timed.segment(image);
        List<long[]> calls = timed.calls();
        assertEquals(1, calls.size());
        return calls.get(0);
    }

    @Test
    void theUNetsCallIsMostlyInferenceButNotAll() throws IOException {
        long[] c = timedCall("unet");
        long call = c[1] - c[0], inference = c[2];
        assertTrue(inference > 0, "a U-Net call runs the model");
        assertTrue(inference < call, "normalisation, tiling and the watershed are not inference: " + inference + " of " + call + " ns");
    }

    @Test
    void theClassicalSegmenterRunsNoModel() throws IOException {
        long[] c = timedCall("classical");
        assertEquals(0, c[2]);
        assertTrue(c[1] > c[0]);
    }
}
