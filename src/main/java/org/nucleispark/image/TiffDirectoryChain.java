package org.nucleispark.image;

import java.util.HashSet;
import java.util.Set;

/**
 * Walks a classic TIFF's chain of image file directories (one per page) before the JDK's reader sees
 * it, for two quirks of that reader (JDK 17): it stops counting pages, without a word, at a directory
 * offset past the end of the data, so a time-lapse stack cut short near a page boundary decodes as a
 * shorter, apparently intact stack; and {@code getNumImages(true)} follows a chain that loops back
 * until the heap is exhausted, an OutOfMemoryError that would take the whole executor down.
 */
final class TiffDirectoryChain {
    private static final int HEADER = 8;
    private static final int ENTRY = 12;

    private TiffDirectoryChain() {}

    /** @return the number of pages (directories) in the chain */
    static int check(byte[] tiff) throws DecodeFailure {
        if (tiff.length < HEADER) {
            throw new DecodeFailure("TIFF is truncated: the file has only " + tiff.length + " bytes, less than the"
                    + " 8-byte header");
        }
        boolean littleEndian = tiff[0] == 'I';
        long offset = uint32(tiff, 4, littleEndian);
        Set<Long> seen = new HashSet<>();
        int pages = 0;
        while (offset != 0) {
            pages++;
            if (!seen.add(offset)) {
                throw new DecodeFailure("TIFF is corrupt: the directory of page " + pages + " points back to an earlier one");
            }
            if (offset + 2 > tiff.length) throw truncated(pages, offset, offset + 2, tiff.length);
            int entries = uint16(tiff, (int) offset, littleEndian);
            long nextField = offset + 2 + (long) ENTRY * entries;
            if (nextField + 4 > tiff.length) throw truncated(pages, offset, nextField + 4, tiff.length);
            offset = uint32(tiff, (int) nextField, littleEndian);
        }
        if (pages == 0) throw new DecodeFailure("TIFF contains no images");
        return pages;
    }

    private static DecodeFailure truncated(int page, long start, long end, int length) {
        return new DecodeFailure("TIFF is truncated or corrupt: the directory of page " + page + " takes bytes "
                + start + " to " + end + ", but the file has only " + length + " bytes");
    }

    private static int uint16(byte[] b, int at, boolean littleEndian) {
        int b0 = b[at] & 0xFF;
        int b1 = b[at + 1] & 0xFF;
        return littleEndian ? b0 | b1 << 8 : b0 << 8 | b1;
    }

    private static long uint32(byte[] b, int at, boolean littleEndian) {
        long value = 0;
        for (int i = 0; i < 4; i++) {
            int shift = littleEndian ? 8 * i : 8 * (3 - i);
            value |= (long) (b[at + i] & 0xFF) << shift;
        }
        return value;
    }
}
