package org.nucleispark.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecodeResultTest {
    private static final Image ONE = new Image(1, 1, new float[][] {{7f}}, 8);

    @Test
    void framesAreACopyThatCannotChange() {
        List<DecodeResult.Frame> frames = new ArrayList<>(List.of(new DecodeResult.Frame(0, ONE)));
        DecodeResult r = DecodeResult.ofFrames("a.tif", frames);
        frames.add(new DecodeResult.Frame(1, ONE));
        assertEquals(1, r.frames().size());
        assertThrows(UnsupportedOperationException.class, () -> r.frames().add(new DecodeResult.Frame(2, ONE)));
        assertTrue(r.isOk());
        assertEquals("a.tif", r.name());
    }

    @Test
    void askingTheWrongSideIsAProgrammingError() {
        DecodeResult error = DecodeResult.ofError("b.png", "file is empty (0 bytes)");
        assertFalse(error.isOk());
        IllegalStateException e = assertThrows(IllegalStateException.class, error::frames);
        assertEquals("no frames: b.png: file is empty (0 bytes)", e.getMessage());
        DecodeResult ok = DecodeResult.ofFrames("c.png", List.of(new DecodeResult.Frame(0, ONE)));
        assertThrows(IllegalStateException.class, ok::error);
    }

    @Test
    void malformedResultsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DecodeResult.ofFrames("d", List.of()));
        assertThrows(IllegalArgumentException.class, () -> DecodeResult.ofError("d", " "));
        assertThrows(IllegalArgumentException.class, () -> new DecodeResult.Frame(-1, ONE));
    }
}
