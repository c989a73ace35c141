package dev.drydock.interfaces.ssh;

import dev.drydock.api.Command;
import dev.drydock.api.DrydockException;
import dev.drydock.interfaces.internal.InputFeed;
import dev.drydock.interfaces.internal.OutputGate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees one remote command through to its end in the session it is given (one per command): feeds stdin then EOF, drains
 * stdout and stderr concurrently, and on timeout kills the command's process group over a second
 * session (see {@link RemoteScript}). When {@link #run} returns, nothing more reaches the streams.
 */
final class RemoteRun {
    private static final Logger log = LoggerFactory.getLogger(RemoteRun.class);

    /** How long output may still arrive after the command exited before it is abandoned. */
    static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);
    /** How long a killed command's channel may take to close. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /** How often a running command is checked for having exited while its output is held open. */
    private static final long POLL_MILLIS = 100;

    /** How the command ended; its output went to the streams. */
    record Outcome(int exitCode, Duration elapsed, boolean timedOut) {}

    private final SshConnection connection;
    private final Command command;
    private final RemoteScript script;

    private RemoteRun(SshConnection connection, Command command, RemoteScript script) {
        this.connection = connection;
        this.command = command;
        this.script = script;
    }

    /** Runs; throws what {@link WrapperStatus#processGroup} makes of a command the wrapper refused to start. */
    static Outcome run(SshConnection connection, Session session, Command command, RemoteScript script,
                       WrapperStatus.Context context, InputStream stdin, OutputStream stdout, OutputStream stderr) {
        return new RemoteRun(connection, command, script).execute(session, context, stdin, stdout, stderr);
    }

    private Outcome execute(Session session, WrapperStatus.Context context, InputStream stdin, OutputStream stdout,
                            OutputStream stderr) {
        long start = System.nanoTime();
        long deadline = start + saturatedNanos(command.timeout());
        try {
            Session.Command remote = exec(session);
            OutputGate gate = new OutputGate();
            String name = "drydock-ssh-" + connection.target().address() + "-ch" + session.getID();
            ChannelPump out = ChannelPump.stdout(name + "-stdout", remote.getInputStream(), stdout, gate, script.marker());
            ChannelPump err = ChannelPump.stderr(name + "-stderr", remote.getErrorStream(), stderr, gate);
            // Closing the channel's stream sends EOF.
            InputFeed.start(name + "-stdin", remote.getOutputStream(), command.stdin(), stdin);
            Optional<String> status = awaitStatus(out, deadline);
            Long processGroup = status == null ? null : WrapperStatus.processGroup(status, context);
            boolean timedOut = status == null || !awaitEnd(remote, deadline, processGroup);
            if (timedOut) {
                if (status == null) {
                    processGroup = lateProcessGroup(out); // a slow login shell may report just after the deadline
                }
                log.warn("{} on {} ran past its timeout of {}; killing its process group {}", command,
                        connection.target().address(), command.timeout(), processGroup);
                kill(processGroup);
                awaitClose(remote, KILL_WAIT.toMillis(), processGroup);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (!closed(remote)) {
                closeQuietly(session); // abandon output held open by a background process: ends the pumps
            }
            long pumpDeadline = System.nanoTime() + OUTPUT_GRACE.toNanos();
            out.awaitEnd(pumpDeadline);
            err.awaitEnd(pumpDeadline);
            gate.shut();
            failIfSinkFailed("stdout", out);
            failIfSinkFailed("stderr", err);
            return new Outcome(WrapperStatus.exitCode(remote), elapsed, timedOut);
        } finally {
            closeQuietly(session);
        }
    }

    private Session.Command exec(Session session) {
        try {
            return session.exec(script.text());
        } catch (IOException e) {
            throw connection.failure("starting " + command, e);
        }
    }

    /** The wrapper's status line, empty if there was none, or null if the deadline passed first. */
    private Optional<String> awaitStatus(ChannelPump out, long deadline) {
        try {
            return out.status().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrydockException("interrupted while starting " + command + " on " + connection.target().address());
        } catch (ExecutionException e) {
            throw new IllegalStateException("the stdout pump never fails its status", e);
        }
    }

    private static Long lateProcessGroup(ChannelPump out) {
        try {
            Optional<String> status = out.status().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return status.filter(word -> word.matches("[0-9]+")).map(Long::valueOf).orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /** Waits for the channel to close; false if the deadline passed first. */
    private boolean awaitEnd(Session.Command remote, long deadline, Long processGroup) {
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            if (awaitClose(remote, Math.min(POLL_MILLIS, Math.max(1, remaining / 1_000_000)), processGroup)) {
                return true;
            }
            if (remote.getExitStatus() != null || remote.getExitSignal() != null) {
                // Exited, but something it started still holds the output open: give it a moment.
                if (!awaitClose(remote, OUTPUT_GRACE.toMillis(), processGroup)) {
                    log.warn("{} on {} exited but its output is still held open {} ms later, probably by a background"
                                    + " process it started; returning the output read so far", command,
                            connection.target().address(), OUTPUT_GRACE.toMillis());
                }
                return true;
            }
        }
    }

    private boolean awaitClose(Session.Command remote, long millis, Long processGroup) {
        try {
            remote.join(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (ConnectionException e) {
            if (e.getCause() instanceof TimeoutException) {
                return false;
            }
            if (e.getCause() instanceof InterruptedException) {
                kill(processGroup);
                Thread.currentThread().interrupt();
                throw new DrydockException("interrupted while waiting for " + command + " on "
                        + connection.target().address() + "; killed it and everything it started", e);
            }
            throw connection.failure("running " + command, e);
        }
    }

    private static boolean closed(Session.Command remote) {
        try {
            remote.join(1, TimeUnit.MILLISECONDS); // not 0: sshj reads 0 as "wait for ever"
            return true;
        } catch (ConnectionException e) {
            return !(e.getCause() instanceof TimeoutException);
        }
    }

    private void kill(Long processGroup) {
        if (processGroup == null) {
            log.warn("{} never reported its process id; closing its channel instead of killing it", command);
            return;
        }
        Session session = null;
        try {
            session = connection.startSession();
            Session.Command kill = session.exec("kill -s KILL -- -" + processGroup + " 2>/dev/null || kill -s KILL "
                    + processGroup + " 2>/dev/null; exit 0");
            kill.join(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | DrydockException e) {
            log.warn("Could not kill process group {} on {}: {}", processGroup, connection.target().address(), e.toString());
        } finally {
            if (session != null) {
                closeQuietly(session);
            }
        }
    }

    private void failIfSinkFailed(String name, ChannelPump pump) {
        pump.sinkFailure().ifPresent(e -> {
            throw new DrydockException("could not write the " + name + " of " + command + " to the given stream: "
                    + e.getMessage(), e);
        });
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (IOException e) {
            log.debug("Could not close session: {}", e.toString());
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }
}
