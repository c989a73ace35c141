package dev.drydock.interfaces.local;

import dev.drydock.interfaces.internal.OutputGate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one output stream of a process to a sink on its own virtual thread, so stdout and stderr
 * drain concurrently and neither can fill its pipe and stall the process.
 */
final class OutputPump {
    private static final Logger log = LoggerFactory.getLogger(OutputPump.class);

    private final String name;
    private final InputStream source;
    private final OutputStream sink;
    private final OutputGate gate;
    private final Thread thread;
    private volatile IOException sinkFailure;

    private OutputPump(String name, InputStream source, OutputStream sink, OutputGate gate) {
        this.name = name;
        this.source = source;
        this.sink = sink;
        this.gate = gate;
        this.thread = Thread.ofVirtual().name(name).unstarted(this::copy);
    }

    static OutputPump start(String name, InputStream source, OutputStream sink, OutputGate gate) {
        OutputPump pump = new OutputPump(name, source, sink, gate);
        pump.thread.start();
        return pump;
    }

    private void copy() {
        byte[] buffer = new byte[8192];
        try {
            int length;
            while ((length = source.read(buffer)) >= 0) {
                deliver(buffer, length);
            }
        } catch (IOException e) {
            // The stream was closed by awaitEnd after its grace period; nothing more is wanted.
            log.trace("{} stopped reading: {}", name, e.toString());
        }
    }

    private void deliver(byte[] buffer, int length) {
        if (sinkFailure != null) {
            return; // keep draining so the process is not blocked on a full pipe
        }
        try {
            gate.deliver(sink, buffer, 0, length);
        } catch (IOException e) {
            sinkFailure = e;
        }
    }

    /**
     * Waits until the output ends or {@code deadlineNanos} (a {@link System#nanoTime()} value)
     * passes; past it the reader is abandoned, because a background process that inherited the
     * pipe may hold it open for ever. Returns whether all output was read.
     */
    boolean awaitEnd(long deadlineNanos) {
        try {
            long remaining = Math.max(0, deadlineNanos - System.nanoTime());
            if (thread.join(Duration.ofNanos(remaining))) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            source.close();
        } catch (IOException e) {
            log.debug("Could not close {}: {}", name, e.toString());
        }
        log.warn("{} still open {} ms after the process ended, probably held by a background process it started; "
                + "returning the output read so far", name, ProcessRun.OUTPUT_GRACE.toMillis());
        return false;
    }

    /** The error that writing to the sink raised, if any. */
    Optional<IOException> sinkFailure() {
        return Optional.ofNullable(sinkFailure);
    }
}
