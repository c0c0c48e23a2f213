package org.nucleispark.image;

import java.nio.charset.StandardCharsets;

/** Says what a file that is not PNG, JPEG or TIFF seems to be, so that the fix is obvious. */
final class UnrecognisedBytes {
    private static final int SHOWN = 8;
    private static final int SNIFFED = 64;

    private UnrecognisedBytes() {}

    static String reason(byte[] bytes) {
        if (ImageFormat.isBigTiff(bytes)) {
            return "BigTIFF is not supported (the JDK's TIFF reader reads classic TIFF only); save it as"
                    + " classic TIFF, under 4 GB, e.g. one file per time point";
        }
        StringBuilder out = new StringBuilder("not a PNG, JPEG or TIFF file (starts with bytes");
        for (int i = 0; i < Math.min(SHOWN, bytes.length); i++) {
            out.append(String.format(" 0x%02X", bytes[i] & 0xFF));
        }
        out.append(')');
        String start = new String(bytes, 0, Math.min(SNIFFED, bytes.length), StandardCharsets.US_ASCII);
        // A repository cloned without git-lfs holds small text pointers in place of its images.
        if (start.startsWith("version https://git-lfs")) {
            out.append("; it is a Git LFS pointer, not the image: fetch the data with 'git lfs pull'");
        } else if (looksLikeText(bytes)) {
            out.append("; it looks like a text file");
        }
        return out.toString();
    }

    private static boolean looksLikeText(byte[] bytes) {
        int n = Math.min(SNIFFED, bytes.length);
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xFF;
            boolean printable = (b >= 0x20 && b < 0x7F) || b == '\t' || b == '\n' || b == '\r';
            if (!printable) return false;
        }
        return true;
    }
}
