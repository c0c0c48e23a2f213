package org.nucleispark.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TiffDirectoryChainTest {
    private static byte[] stack(int pages) {
        return TestImages.tiff(IntStream.range(0, pages)
                .mapToObj(k -> TestImages.image(BufferedImage.TYPE_USHORT_GRAY, 64, 48, (x, y, b) -> (x * y + 7919 * k) % 65536))
                .toList(), "LZW");
    }

    @Test
    void countsPagesOfIntactStacks() throws Exception {
        assertEquals(3, TiffDirectoryChain.check(stack(3)));
        assertEquals(1, TiffDirectoryChain.check(stack(1)));
        assertEquals(3, TiffDirectoryChain.check(TestImages.read(TestImages.DRIFT16)));
    }

    @Test
    void stackCutShortAnywhereIsAnErrorNeverAShorterStack() {
        byte[] tif = stack(3);
        ImageDecoder decoder = new ImageDecoder();
        for (int length = 1; length < tif.length; length += 13) {
            DecodeResult r = decoder.decode("cut.tif", Arrays.copyOf(tif, length));
            final int len = length;
            assertFalse(r.isOk(), () -> "cut at " + len + " of " + tif.length + " bytes decoded as " + r);
        }
    }

    @Test
    void directoryPastTheEndIsNamed() {
        byte[] tif = stack(1);
        ByteBuffer header = ByteBuffer.wrap(tif).order(tif[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        header.putInt(4, tif.length + 100);
        DecodeFailure f = assertThrows(DecodeFailure.class, () -> TiffDirectoryChain.check(tif));
        assertEquals("TIFF is truncated or corrupt: the directory of page 1 takes bytes " + (tif.length + 100)
                + " to " + (tif.length + 102) + ", but the file has only " + tif.length + " bytes", f.reason());
    }

    @Test
    void directoryRunningPastTheEndIsNamed() {
        byte[] drift = TestImages.read(TestImages.DRIFT16);
        // drift16.tif (written by PIL) ends with page 3's directory, which starts at byte 81904.
        DecodeFailure f = assertThrows(DecodeFailure.class, () -> TiffDirectoryChain.check(Arrays.copyOf(drift, 81950)));
        assertTrue(f.reason().startsWith("TIFF is truncated or corrupt: the directory of page 3 takes bytes 81904 to "), f.reason());
        assertTrue(f.reason().endsWith(", but the file has only 81950 bytes"), f.reason());
    }

    @Test
    void tooShortForAHeader() {
        DecodeFailure f = assertThrows(DecodeFailure.class, () -> TiffDirectoryChain.check(new byte[] {'I', 'I', 42, 0, 8}));
        assertEquals("TIFF is truncated: the file has only 5 bytes, less than the 8-byte header", f.reason());
    }

    @Test
    void loopingChainIsRefused() {
        byte[] tif = stack(1);
        ByteBuffer buf = ByteBuffer.wrap(tif).order(tif[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int ifd = buf.getInt(4);
        int entries = buf.getShort(ifd) & 0xFFFF;
        buf.putInt(ifd + 2 + 12 * entries, ifd); // the only page's "next directory" is itself
        DecodeResult r = new ImageDecoder().decode("loop.tif", tif);
        assertFalse(r.isOk());
        assertEquals("TIFF is corrupt: the directory of page 2 points back to an earlier one", r.error());
    }

    @Test
    void bigEndianStack() throws Exception {
        // The JDK writer emits big-endian ("MM") TIFF; a little-endian one comes from the sample data.
        assertEquals('M', stack(2)[0]);
        assertEquals('I', TestImages.read(TestImages.DRIFT16)[0]);
        assertEquals(2, TiffDirectoryChain.check(stack(2)));
    }
}
