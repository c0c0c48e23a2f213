package org.nucleispark.io;

import java.io.IOException;
import javax.imageio.stream.ImageInputStreamImpl;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * A seekable javax.imageio stream over a Hadoop file (local, S3A, HDFS …), so that an image reader
 * can read a header, or one region of a TIFF, without the whole file in memory or on local disk.
 * ImageIO's own {@code createImageInputStream} on a plain InputStream would cache everything read
 * so far (in memory or a temp file) to support seeking back; FSDataInputStream seeks by itself.
 * Closing it leaves the Hadoop stream open: its opener closes it.
 */
public final class HadoopImageInputStream extends ImageInputStreamImpl {
    private final FSDataInputStream in;
    private final long length;

    /** @param length the file's size in bytes, or -1 when unknown */
    public HadoopImageInputStream(FSDataInputStream in, long length) throws IOException {
        this.in = in;
        this.length = length;
        in.seek(0);
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        int b = in.read();
        if (b >= 0) streamPos++;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        bitOffset = 0;
        if (len == 0) return 0;
        int n = in.read(b, off, len);
        if (n > 0) streamPos += n;
        return n;
    }

    @Override
    public void seek(long pos) throws IOException {
        super.seek(pos);
        in.seek(pos);
    }

    @Override
    public long length() {
        return length;
    }
}
