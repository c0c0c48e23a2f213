package org.nucleispark.image;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of decoding one file: either its frames (one for PNG and JPEG, one per page of a TIFF
 * stack) or a reason a person can act on. Decoding failures are values so that one bad file becomes
 * an error row instead of failing the Spark task that holds it.
 */
public final class DecodeResult implements Serializable {

    /** One frame of a decoded file; {@code index} is its position in the file, from 0. */
    public record Frame(int index, Image image) implements Serializable {
        public Frame {
            if (index < 0) throw new IllegalArgumentException("frame index must be >= 0, got " + index);
            Objects.requireNonNull(image, "image");
        }
    }

    private final String name;
    private final List<Frame> frames;
    private final String error;

    private DecodeResult(String name, List<Frame> frames, String error) {
        this.name = Objects.requireNonNull(name, "name");
        this.frames = frames;
        this.error = error;
    }

    public static DecodeResult ofFrames(String name, List<Frame> frames) {
        if (frames.isEmpty()) throw new IllegalArgumentException("a decoded file has at least one frame");
        return new DecodeResult(name, List.copyOf(frames), null);
    }

    public static DecodeResult ofError(String name, String reason) {
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException("an error needs a reason");
        return new DecodeResult(name, List.of(), reason);
    }

    /** The name the file was decoded under (as given to the decoder). */
    public String name() { return name; }

    public boolean isOk() { return error == null; }

    /** The frames, in file order; asking an error result for frames is a programming error. */
    public List<Frame> frames() {
        if (error != null) throw new IllegalStateException("no frames: " + name + ": " + error);
        return frames;
    }

    /** Why decoding failed; asking a successful result for its error is a programming error. */
    public String error() {
        if (error == null) throw new IllegalStateException(name + " was decoded without error");
        return error;
    }

    @Override
    public String toString() {
        return isOk() ? "DecodeResult[" + name + ", " + frames.size() + " frame(s)]"
                      : "DecodeResult[" + name + ", error: " + error + "]";
    }
}
