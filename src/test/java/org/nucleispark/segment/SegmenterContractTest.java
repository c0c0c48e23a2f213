package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nucleispark.image.Image;
import org.nucleispark.image.Segmentation;

/**
 * What every model in {@link SegmenterRegistry} promises, on small images (the shipped models, DJL's
 * PyTorch engine on the CPU, no TTA): its name is its key, its version does not depend on the
 * instance, the block path's overload is the identity on a whole image, and an all-zero, a 1×1 and a
 * 16-bit image are served. A new model registered there is tested here without a line of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmenterContractTest {
    private static final String MODELS = "models";
    private final Configuration conf = new Configuration();
    private final Map<String, Segmenter> built = new LinkedHashMap<>();
    private Image crop;

    @BeforeAll
    void load() throws IOException {
        Image sample = SampleImages.image(SampleImages.ids().get(1));
        crop = crop(sample, 96, 96, 1.0f, sample.bitDepth());
    }

    @AfterAll
    void close() {
        // the cached segmenters (Segmenters.get) belong to the JVM; only those built here are closed
        built.values().forEach(Segmenter::close);
    }

    Stream<String> keys() {
        return SegmenterRegistry.keys().stream();
    }

    private static SegmenterSpec spec(String key) {
        return new SegmenterSpec(key, MODELS, new UNetOptions(false, Double.NaN, Double.NaN, UNetOptions.DEFAULT_BATCH_SIZE));
    }

    /** A second instance built by the factory itself, beside the JVM's cached one. */
    private Segmenter fresh(String key) {
        return built.computeIfAbsent(key, k -> {
            SegmenterFactory f = SegmenterRegistry.get(k);
            Map<String, Segmenter> members = new LinkedHashMap<>();
            for (String m : f.members()) members.put(m, Segmenters.get(spec(m), conf));
            return f.create(spec(k), conf, members);
        });
    }

    private Segmenter cached(String key) {
        return Segmenters.get(spec(key), conf);
    }

    /** The top-left w×h of {@code image}, values times {@code scale}, declared as {@code bitDepth}. */
    private static Image crop(Image image, int w, int h, float scale, int bitDepth) {
        float[][] planes = new float[image.channels()][w * h];
        for (int c = 0; c < planes.length; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) planes[c][y * w + x] = image.get(c, x, y) * scale;
            }
        }
        return new Image(w, h, planes, bitDepth);
    }

    @Test
    void theRegistryListsEachModelOnce() {
        List<String> keys = SegmenterRegistry.keys();
        assertEquals(keys.size(), keys.stream().distinct().count(), keys.toString());
        assertEquals(keys, Segmenters.KNOWN);
        for (SegmenterFactory f : SegmenterRegistry.FACTORIES) {
            assertFalse(f.help().isBlank(), f.key());
            assertTrue(keys.containsAll(f.members()), f.key() + " combines " + f.members());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void nameIsTheKey(String key) {
        assertEquals(key, cached(key).name());
        assertEquals(key, fresh(key).name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void versionIsTheSameForTwoInstances(String key) {
        String version = cached(key).version();
        assertFalse(version == null || version.isBlank(), key);
        assertEquals(version, fresh(key).version());
        assertEquals(version, cached(key).version());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void theStatisticsOverloadIsTheIdentityOnAWholeImage(String key) {
        Segmenter s = cached(key);
        Segmentation plain = s.segment(crop);
        Segmentation overload = s.segment(crop, s.statistics(crop));
        assertArrayEquals(plain.labels().labels(), overload.labels().labels(), key);
        assertArrayEquals(plain.scores(), overload.scores(), key);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void anAllZeroImageHasNoInstances(String key) {
        Image zero = new Image(64, 48, new float[crop.channels()][64 * 48], crop.bitDepth());
        Segmentation seg = cached(key).segment(zero);
        assertEquals(0, seg.labels().maxLabel(), key);
        assertEquals(64, seg.labels().width());
        assertEquals(48, seg.labels().height());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void aOneByOneImageIsServed(String key) {
        Segmentation seg = cached(key).segment(crop(crop, 1, 1, 1.0f, crop.bitDepth()));
        assertEquals(1, seg.labels().width());
        assertEquals(1, seg.labels().height());
        assertTrue(seg.labels().maxLabel() <= 1, key);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void aSixteenBitImageIsServed(String key) {
        Segmenter s = cached(key);
        Image sixteen = crop(crop, crop.width(), crop.height(), 257f, 16);
        Segmentation seg = s.segment(sixteen);
        assertEquals(crop.width(), seg.labels().width());
        assertTrue(seg.labels().maxLabel() > 0, key + " finds the nuclei of the 8-bit crop in its 16-bit copy");
    }
}
