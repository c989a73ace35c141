package dev.drydock.interfaces.local;

import dev.drydock.api.Command;
import dev.drydock.api.DrydockException;
import dev.drydock.interfaces.internal.InputFeed;
import dev.drydock.interfaces.internal.OutputGate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees one started process through to its end: feeds its stdin, drains its stdout and stderr, and
 * enforces the command's timeout by killing the whole process tree. When {@link #await} returns,
 * nothing more will be written to the given streams.
 */
final class ProcessRun {
    private static final Logger log = LoggerFactory.getLogger(ProcessRun.class);

    /** How long output may still arrive after the process ended before the readers are abandoned. */
    static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);

    /** How long a killed process may take to be reported dead. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    /** No input beyond the command's own bytes: the process's stdin is closed without a thread when there are none. */
    static final InputStream NO_INPUT = InputStream.nullInputStream();

    /** How the process ended; output went to the streams. */
    record Outcome(int exitCode, Duration elapsed, boolean timedOut) {}

    private ProcessRun() {}

    static Outcome await(Process process, long startNanos, Command command, InputStream stdin, OutputStream stdout, OutputStream stderr) {
        OutputGate gate = new OutputGate();
        OutputPump out = OutputPump.start("drydock-stdout-" + process.pid(), process.getInputStream(), stdout, gate);
        OutputPump err = OutputPump.start("drydock-stderr-" + process.pid(), process.getErrorStream(), stderr, gate);
        feedStdin(process, command.stdin(), stdin);
        boolean timedOut;
        try {
            timedOut = !process.waitFor(saturatedNanos(command.timeout()), TimeUnit.NANOSECONDS);
            if (timedOut) {
                log.warn("{} (pid {}) ran past its timeout of {}; killing it and everything it started",
                        command, process.pid(), command.timeout());
                ProcessTree.kill(process);
                process.waitFor(KILL_WAIT.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            ProcessTree.kill(process);
            gate.shut();
            Thread.currentThread().interrupt();
            throw new DrydockException("interrupted while waiting for " + command
                    + "; killed it and everything it started", e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        long deadline = System.nanoTime() + OUTPUT_GRACE.toNanos();
        out.awaitEnd(deadline);
        err.awaitEnd(deadline);
        gate.shut();
        failIfSinkFailed(command, "stdout", out);
        failIfSinkFailed(command, "stderr", err);
        int exitCode = process.isAlive() ? -1 : process.exitValue();
        return new Outcome(exitCode, elapsed, timedOut);
    }

    private static void feedStdin(Process process, byte[] input, InputStream more) {
        OutputStream stdin = process.getOutputStream();
        if (input.length == 0 && more == NO_INPUT) {
            closeQuietly(stdin, process);
            return;
        }
        InputFeed.start("drydock-stdin-" + process.pid(), stdin, input, more);
    }

    private static void closeQuietly(OutputStream stream, Process process) {
        try {
            stream.close();
        } catch (IOException e) {
            log.debug("Could not close stdin of pid {}: {}", process.pid(), e.toString());
        }
    }

    private static void failIfSinkFailed(Command command, String name, OutputPump pump) {
        pump.sinkFailure().ifPresent(e -> {
            throw new DrydockException("could not write the " + name + " of " + command
                    + " to the given stream: " + e.getMessage(), e);
        });
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
