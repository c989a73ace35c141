package dev.drydock.interfaces.ssh;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated connection per key (typically a resource id), reused by every command and file
 * operation of every lease on that resource. A cached connection that has died, or whose target or
 * credentials changed, is replaced on the next {@link #get}. Connecting for one key never waits for
 * another key's connect. Thread-safe; {@link #close()} closes every connection and is idempotent.
 *
 * <p>{@link #evict} and {@link #close} close connections that other threads may be using; their
 * operations then fail with an {@link SshException}.
 */
public final class SshConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SshConnections.class);

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** One key's connection; its lock serialises connecting, so one key makes one connection. */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        SshConnection connection;
    }

    /** The live connection for {@code key}, connecting (again) if there is none. */
    public SshConnection get(String key, SshTarget target, SshCredentials credentials, Duration connectTimeout) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(credentials, "credentials");
        requireOpen();
        while (true) {
            Slot slot = slots.computeIfAbsent(key, k -> new Slot());
            slot.lock.lock();
            try {
                if (slots.get(key) == slot) { // else evicted while we waited: take the new slot
                    return connect(slot, key, target, credentials, connectTimeout);
                }
            } finally {
                slot.lock.unlock();
            }
        }
    }

    private SshConnection connect(Slot slot, String key, SshTarget target, SshCredentials credentials,
                                  Duration connectTimeout) {
        SshConnection current = slot.connection;
        if (current != null && current.isAlive() && current.target().equals(target)
                && current.credentials().equals(credentials)) {
            return current;
        }
        if (current != null) {
            log.info("Replacing the SSH connection for {} to {} ({}); connecting again", key, target.address(),
                    current.isAlive() ? "its target or credentials changed" : "it was lost");
            current.close();
            slot.connection = null;
        }
        SshConnection opened = SshConnection.open(target, credentials, connectTimeout);
        slot.connection = opened;
        if (closed.get()) { // closed while connecting: close() may have missed this one
            opened.close();
            requireOpen();
        }
        return opened;
    }

    /** Closes and forgets the connection for {@code key}, if any. */
    public void evict(String key) {
        Objects.requireNonNull(key, "key");
        Slot slot = slots.remove(key);
        if (slot == null) {
            return;
        }
        slot.lock.lock();
        try {
            if (slot.connection != null) {
                slot.connection.close();
                slot.connection = null;
            }
        } finally {
            slot.lock.unlock();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (String key : List.copyOf(slots.keySet())) {
            evict(key);
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("these SSH connections were closed");
        }
    }
}
