package dev.drydock.interfaces.ssh;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import dev.drydock.interfaces.internal.PosixPaths;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.Supplier;
import net.schmizz.sshj.connection.channel.direct.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands on a remote host over SSH, in the lease's directory there; each command in a
 * session of its own on the connection the supplier gives (usually a cached one from
 * {@link SshConnections}).
 *
 * <p>Guarantees: every argument and environment value reaches the remote program exactly as given,
 * single-quoted for the remote login shell, which must be a POSIX shell; the working directory is
 * the lease's directory or one inside it (a lexical escape is refused with
 * {@link dev.drydock.api.PathOutsideRootException} before anything is sent, a symbolic link that
 * leads out is refused by the remote wrapper); stdin (the command's bytes, then a caller's stream as
 * it arrives) is written then EOF is sent; stdout and stderr
 * are drained concurrently; on timeout the command's whole process group is killed with SIGKILL
 * over a second session and the result says {@code timedOut}. How the command is wrapped is
 * described on {@link RemoteScript}. Unlike the local interface, a program name without {@code /} is
 * looked up on the remote {@code PATH} after the command's environment is applied. A missing
 * program raises {@link dev.drydock.api.ProgramNotFoundException}, a path to a directory or to a file
 * that is not executable {@link dev.drydock.api.ProgramNotRunnableException}; a lost connection an
 * {@link SshException}. Thread-safe: calls share no mutable state.
 */
public final class SshCommandInterface implements CommandInterface {
    private static final Logger log = LoggerFactory.getLogger(SshCommandInterface.class);

    private final Supplier<SshConnection> connection;
    private final String leaseDirectory;

    /** @param leaseDirectory the lease's directory on the remote host: an absolute path */
    public SshCommandInterface(Supplier<SshConnection> connection, String leaseDirectory) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.leaseDirectory = RemotePaths.leaseDirectory(leaseDirectory);
    }

    @Override
    public CommandResult run(Command command) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        RemoteRun.Outcome outcome = execute(command, InputStream.nullInputStream(), stdout, stderr);
        return new CommandResult(outcome.exitCode(), stdout.toByteArray(), stderr.toByteArray(), outcome.elapsed(),
                outcome.timedOut());
    }

    @Override
    public CommandResult stream(Command command, InputStream stdin, OutputStream stdout, OutputStream stderr) {
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        RemoteRun.Outcome outcome = execute(command, stdin, stdout, stderr);
        return new CommandResult(outcome.exitCode(), new byte[0], new byte[0], outcome.elapsed(), outcome.timedOut());
    }

    private RemoteRun.Outcome execute(Command command, InputStream stdin, OutputStream stdout, OutputStream stderr) {
        Objects.requireNonNull(command, "command");
        String relative = command.workingDirectory().map(d -> PosixPaths.normaliseRelative("workingDirectory", d)).orElse("");
        RemoteScript script = new RemoteScript(leaseDirectory, PosixPaths.join(leaseDirectory, relative), command);
        SshConnection ssh = supplied();
        Session session;
        try {
            session = ssh.startSession();
        } catch (SshException e) {
            if (ssh.isAlive()) {
                throw e;
            }
            // The cached connection died after it was handed out and before the command started, so
            // nothing ran: one fresh connection is safe to try, and spares the caller a transient fault.
            log.info("The SSH connection to {} was lost before {} could start ({}); connecting again",
                    ssh.target().address(), command, e.getMessage());
            ssh = supplied();
            session = ssh.startSession();
        }
        WrapperStatus.Context context = new WrapperStatus.Context(ssh.target().address(), ssh.target().user(),
                leaseDirectory, command.workingDirectory().orElse(""), command.argv().get(0));
        RemoteRun.Outcome outcome = RemoteRun.run(ssh, session, command, script, context, stdin, stdout, stderr);
        log.debug("{} on {} ended: {}", command, ssh, outcome);
        return outcome;
    }

    private SshConnection supplied() {
        return Objects.requireNonNull(connection.get(), "the connection supplier returned null");
    }
}
