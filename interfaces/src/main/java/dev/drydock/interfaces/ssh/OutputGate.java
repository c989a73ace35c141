package dev.drydock.interfaces.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single door through which one command's output reaches the caller's streams: serialises
 * writes (stdout and stderr may be one stream) and, once {@link #shut()} returns, lets nothing more
 * through, even from a reader that outlives the call.
 */
final class OutputGate {
    private final ReentrantLock lock = new ReentrantLock();
    private boolean open = true;

    void deliver(OutputStream sink, byte[] buffer, int offset, int length) throws IOException {
        lock.lock();
        try {
            if (open && length > 0) {
                sink.write(buffer, offset, length);
                sink.flush(); // a caller streaming long output sees it as it arrives
            }
        } finally {
            lock.unlock();
        }
    }

    void shut() {
        lock.lock();
        try {
            open = false;
        } finally {
            lock.unlock();
        }
    }
}
