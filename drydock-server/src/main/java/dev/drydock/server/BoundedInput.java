package dev.drydock.server;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read as it comes, refused past {@code max} bytes: the read that would pass it
 * fails, so whatever consumes the stream stops (an atomic file write then leaves the old file).
 * {@link #exceeded()} tells that failure from others. One reader thread.
 */
// InputStream, not FilterInputStream: every read, transferTo included, must pass through read(byte[], int, int)
final class BoundedInput extends InputStream {
    private final InputStream in;
    private final long max;
    private long count;
    private boolean exceeded;

    BoundedInput(InputStream in, long max) {
        this.in = in;
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        // one byte more than allowed is enough to know the body is too large
        int n = in.read(buffer, offset, (int) Math.min(length, max - count + 1));
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void counted(int n) throws IOException {
        count += n;
        if (count > max) {
            exceeded = true;
            throw new IOException("the body is larger than " + max + " bytes");
        }
    }

    boolean exceeded() {
        return exceeded;
    }

    long count() {
        return count;
    }
}
