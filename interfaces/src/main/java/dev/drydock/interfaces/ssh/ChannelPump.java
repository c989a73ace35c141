package dev.drydock.interfaces.ssh;

import dev.drydock.interfaces.internal.OutputGate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one output stream of a remote command to the caller's sink on a virtual thread of its
 * own, so stdout and stderr drain concurrently and neither stalls the channel's window. On stdout it
 * first takes out the wrapper's status line ({@link RemoteScript}): anything before it (a chatty
 * login script) is dropped, and the line's status completes {@link #status()}. If the stream ends
 * without one, what was read is passed on and the status is empty.
 */
final class ChannelPump {
    private static final Logger log = LoggerFactory.getLogger(ChannelPump.class);
    /** Bytes looked through for the status line before giving up on it. */
    private static final int STATUS_SEARCH_LIMIT = 64 * 1024;

    private final InputStream source;
    private final OutputStream sink;
    private final OutputGate gate;
    private final String marker;
    private final CompletableFuture<Optional<String>> status = new CompletableFuture<>();
    private final Thread thread;
    private volatile IOException sinkFailure;

    private ChannelPump(String name, InputStream source, OutputStream sink, OutputGate gate, String marker) {
        this.source = source;
        this.sink = sink;
        this.gate = gate;
        this.marker = marker;
        this.thread = Thread.ofVirtual().name(name).unstarted(this::copy);
    }

    /** Pumps stdout, looking for the status line that starts with {@code marker}. */
    static ChannelPump stdout(String name, InputStream source, OutputStream sink, OutputGate gate, String marker) {
        ChannelPump pump = new ChannelPump(name, source, sink, gate, marker);
        pump.thread.start();
        return pump;
    }

    static ChannelPump stderr(String name, InputStream source, OutputStream sink, OutputGate gate) {
        ChannelPump pump = new ChannelPump(name, source, sink, gate, null);
        pump.status.complete(Optional.empty());
        pump.thread.start();
        return pump;
    }

    /** The word after the marker: a process group id or a reason nothing was started. */
    CompletableFuture<Optional<String>> status() {
        return status;
    }

    private void copy() {
        byte[] buffer = new byte[32 * 1024];
        ByteArrayOutputStream head = marker == null ? null : new ByteArrayOutputStream();
        try {
            int length;
            while ((length = source.read(buffer)) >= 0) {
                if (head == null) {
                    deliver(buffer, 0, length);
                    continue;
                }
                head.write(buffer, 0, length);
                byte[] bytes = head.toByteArray();
                if (takeStatus(bytes)) {
                    head = null;
                } else if (bytes.length > STATUS_SEARCH_LIMIT) {
                    status.complete(Optional.empty());
                    deliver(bytes, 0, bytes.length);
                    head = null;
                }
            }
        } catch (IOException e) {
            log.trace("{} stopped reading: {}", thread.getName(), e.toString());
        } finally {
            if (head != null) {
                byte[] unread = head.toByteArray();
                deliver(unread, 0, unread.length);
            }
            status.complete(Optional.empty());
        }
    }

    // Finds "MARKER status\n"; passes on what follows it. False if the line is not complete yet.
    private boolean takeStatus(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1); // one char per byte: indexes match
        int start = text.startsWith(marker + " ") ? 0 : text.indexOf("\n" + marker + " ");
        if (start < 0) {
            return false;
        }
        int from = start == 0 ? 0 : start + 1;
        int end = text.indexOf('\n', from);
        if (end < 0) {
            return false;
        }
        status.complete(Optional.of(text.substring(from + marker.length() + 1, end)));
        deliver(bytes, end + 1, bytes.length - end - 1);
        return true;
    }

    private void deliver(byte[] buffer, int offset, int length) {
        if (sinkFailure != null) {
            return; // keep draining so the channel is not blocked
        }
        try {
            gate.deliver(sink, buffer, offset, length);
        } catch (IOException e) {
            sinkFailure = e;
        }
    }

    /** Waits until the stream ends or {@code deadlineNanos} (a {@link System#nanoTime()} value); true if it ended. */
    boolean awaitEnd(long deadlineNanos) {
        try {
            return thread.join(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Optional<IOException> sinkFailure() {
        return Optional.ofNullable(sinkFailure);
    }
}
