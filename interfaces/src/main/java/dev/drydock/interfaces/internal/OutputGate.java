package dev.drydock.interfaces.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single door through which one run's output (a local process's or a remote command's)
 * reaches the caller's streams. Serialises writes (stdout and stderr may be the same stream) and,
 * once {@link #shut()} returns, guarantees that no more bytes reach them, even from a reader that
 * outlives the call. Internal to the interfaces module: not an API.
 */
public final class OutputGate {
    // A lock, not synchronized: the writers are virtual threads doing blocking I/O.
    private final ReentrantLock lock = new ReentrantLock();
    private boolean open = true;

    /** Writes and flushes {@code length} bytes from {@code offset}, unless shut. */
    public void deliver(OutputStream sink, byte[] buffer, int offset, int length) throws IOException {
        lock.lock();
        try {
            if (open && length > 0) {
                sink.write(buffer, offset, length);
                // Flush so a caller streaming long output sees it as it arrives, not when a buffer fills.
                sink.flush();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops delivery; waits for a write in progress to finish. */
    public void shut() {
        lock.lock();
        try {
            open = false;
        } finally {
            lock.unlock();
        }
    }
}
