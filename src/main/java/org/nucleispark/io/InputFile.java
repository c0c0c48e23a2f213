package org.nucleispark.io;

import java.io.Serializable;

/**
 * One file to process: its full URI, the id its results are keyed by, and what identifies this
 * version of it (size and modification time).
 */
public record InputFile(String path, String imageId, long size, long modificationTime) implements Serializable {}
