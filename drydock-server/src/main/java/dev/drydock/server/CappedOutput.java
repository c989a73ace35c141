package dev.drydock.server;

import java.io.IOException;
import java.io.OutputStream;

/** Passes on the first {@code max} bytes written and drops the rest; for a body whose length was announced. */
final class CappedOutput extends OutputStream {
    private final OutputStream out;
    private long left;

    CappedOutput(OutputStream out, long max) {
        this.out = out;
        this.left = max;
    }

    @Override
    public void write(int b) throws IOException {
        if (left > 0) {
            out.write(b);
            left--;
        }
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        int n = (int) Math.min(length, left);
        if (n > 0) {
            out.write(buffer, offset, n);
            left -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}
