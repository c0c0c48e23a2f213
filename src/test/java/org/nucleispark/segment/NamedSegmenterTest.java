package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.nucleispark.image.Image;

class NamedSegmenterTest {
    @Test
    void answersItsOwnNameAndOtherwiseTheWrappedSegmenters() throws IOException {
        ClassicalSegmenter classical = new ClassicalSegmenter(ClassicalOptions.defaults());
        NamedSegmenter named = new NamedSegmenter("my-classical", classical);
        Image image = SampleImages.image(SampleImages.ids().get(0));
        assertEquals("my-classical", named.name());
        assertEquals(classical.version(), named.version());
        assertEquals(classical.device(), named.device());
        assertArrayEquals(classical.segment(image).labels().labels(), named.segment(image).labels().labels());
        assertArrayEquals(classical.segment(image, classical.statistics(image)).labels().labels(),
                named.segment(image, named.statistics(image)).labels().labels());
    }
}
