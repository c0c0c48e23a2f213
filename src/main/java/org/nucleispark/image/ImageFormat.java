package org.nucleispark.image;

import java.util.Optional;

/**
 * The container formats {@link ImageDecoder} reads, recognised by their leading bytes. The file name
 * is not trusted: scraped and hand-collected corpora contain JPEGs saved as ".png" and the like.
 */
enum ImageFormat {
    PNG("png", new int[] {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}),
    JPEG("jpeg", new int[] {0xFF, 0xD8, 0xFF}),
    // TIFF has two signatures, one per byte order; classic TIFF's version number is 42.
    TIFF("tiff", new int[] {'I', 'I', 42, 0}, new int[] {'M', 'M', 0, 42});

    private final String imageIoName;
    private final int[][] signatures;

    ImageFormat(String imageIoName, int[]... signatures) {
        this.imageIoName = imageIoName;
        this.signatures = signatures;
    }

    /** The format name under which javax.imageio registers its reader. */
    String imageIoName() { return imageIoName; }

    static Optional<ImageFormat> detect(byte[] bytes) {
        for (ImageFormat f : values()) {
            for (int[] signature : f.signatures) {
                if (startsWith(bytes, signature)) return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** BigTIFF (version 43) is TIFF with 64-bit offsets, which the JDK's TIFF reader does not read. */
    static boolean isBigTiff(byte[] bytes) {
        return startsWith(bytes, new int[] {'I', 'I', 43, 0}) || startsWith(bytes, new int[] {'M', 'M', 0, 43});
    }

    private static boolean startsWith(byte[] bytes, int[] signature) {
        if (bytes.length < signature.length) return false;
        for (int i = 0; i < signature.length; i++) {
            if ((bytes[i] & 0xFF) != signature[i]) return false;
        }
        return true;
    }
}
