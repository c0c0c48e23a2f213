package org.nucleispark.io;

import java.io.Serializable;

/**
 * One file to process: its full URI, the id its results are keyed by, what identifies this version
 * of it (size and modification time), and its place in a time-lapse corpus, if any.
 *
 * @param modificationTime ms since epoch; -1 when a manifest names a file that does not exist
 * @param contentSha256    hex sha256 of the file's bytes when {@code --identity hash} asked for it, else null
 */
public record InputFile(String path, String imageId, long size, long modificationTime, SequenceFields sequence,
                        String contentSha256) implements Serializable {

    public InputFile {
        if (sequence == null) sequence = SequenceFields.NONE;
    }

    public InputFile(String path, String imageId, long size, long modificationTime, SequenceFields sequence) {
        this(path, imageId, size, modificationTime, sequence, null);
    }

    public InputFile(String path, String imageId, long size, long modificationTime) {
        this(path, imageId, size, modificationTime, SequenceFields.NONE);
    }

    public InputFile withSequence(SequenceFields s) {
        return new InputFile(path, imageId, size, modificationTime, s, contentSha256);
    }

    /** With the sha256 of its bytes (hex), for {@code --identity hash}; null when it could not be read. */
    public InputFile withContentSha256(String sha256) {
        return new InputFile(path, imageId, size, modificationTime, sequence, sha256);
    }

    /** Listed by a manifest but absent from storage: processed into an error row, not dropped. */
    public boolean missing() {
        return modificationTime < 0;
    }
}
