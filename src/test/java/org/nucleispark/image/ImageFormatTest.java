package org.nucleispark.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageFormatTest {
    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return b;
    }

    @Test
    void signatures() {
        assertEquals(Optional.of(ImageFormat.PNG), ImageFormat.detect(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0)));
        assertEquals(Optional.of(ImageFormat.JPEG), ImageFormat.detect(bytes(0xFF, 0xD8, 0xFF, 0xE0)));
        assertEquals(Optional.of(ImageFormat.TIFF), ImageFormat.detect(bytes('I', 'I', 42, 0, 8, 0, 0, 0)));
        assertEquals(Optional.of(ImageFormat.TIFF), ImageFormat.detect(bytes('M', 'M', 0, 42, 0, 0, 0, 8)));
    }

    @Test
    void nearMissesAndShortInputAreNotRecognised() {
        // A PNG signature whose CR-LF was turned into LF by a text-mode transfer is not a PNG any more.
        assertEquals(Optional.empty(), ImageFormat.detect(bytes(0x89, 'P', 'N', 'G', 0x0A, 0x1A, 0x0A, 0)));
        assertEquals(Optional.empty(), ImageFormat.detect(bytes(0xFF, 0xD8)));
        assertEquals(Optional.empty(), ImageFormat.detect(bytes('I', 'I', 43, 0)));
        assertEquals(Optional.empty(), ImageFormat.detect(new byte[0]));
    }

    @Test
    void bigTiff() {
        assertTrue(ImageFormat.isBigTiff(bytes('I', 'I', 43, 0)));
        assertTrue(ImageFormat.isBigTiff(bytes('M', 'M', 0, 43)));
        assertFalse(ImageFormat.isBigTiff(bytes('I', 'I', 42, 0)));
    }
}
