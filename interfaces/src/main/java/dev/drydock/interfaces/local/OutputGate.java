package dev.drydock.interfaces.local;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single door through which one run's output reaches the caller's streams. Serialises writes
 * (stdout and stderr may be the same stream) and, once {@link #shut()} returns, guarantees that no
 * more bytes reach them, even from a reader that outlives the call.
 */
final class OutputGate {
    // A lock, not synchronized: the writers are virtual threads doing blocking I/O.
    private final ReentrantLock lock = new ReentrantLock();
    private boolean open = true;

    /** Writes and flushes unless shut; reports whether the bytes were delivered. */
    boolean deliver(OutputStream sink, byte[] buffer, int length) throws IOException {
        lock.lock();
        try {
            if (!open) {
                return false;
            }
            sink.write(buffer, 0, length);
            // Flush so a caller streaming long output sees it as it arrives, not when a buffer fills.
            sink.flush();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops delivery; waits for a write in progress to finish. */
    void shut() {
        lock.lock();
        try {
            open = false;
        } finally {
            lock.unlock();
        }
    }
}
