package dev.drydock.interfaces.ssh;

import dev.drydock.api.DrydockException;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.PathOutsideRootException;
import dev.drydock.api.ProgramNotFoundException;
import dev.drydock.api.ProgramNotRunnableException;
import java.util.Optional;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;

/** Reads what {@link RemoteScript}'s wrapper reported, and how the remote command ended. */
final class WrapperStatus {
    /** What a refusal message needs to name. */
    record Context(String address, String user, String leaseDirectory, String workingDirectory, String program) {}

    private WrapperStatus() {}

    /**
     * The command's process group id, or null if the wrapper never reported (it could not run at
     * all; the exit code and stderr tell why). Throws if the wrapper refused to start the command.
     */
    static Long processGroup(Optional<String> status, Context context) {
        if (status.isEmpty()) {
            return null;
        }
        String word = status.get();
        return switch (word) {
            case "nolease" -> throw new DrydockException("the lease's directory '" + context.leaseDirectory()
                    + "' does not exist on " + context.address());
            case "nodir" -> throw new InvalidRequestException("workingDirectory", "'" + context.workingDirectory()
                    + "' does not exist in the lease's directory, or is not a directory");
            case "outside" -> throw new PathOutsideRootException(context.workingDirectory(),
                    "it leads outside through a symbolic link");
            case "notfound" -> throw new ProgramNotFoundException(context.program(), "on the PATH of "
                    + context.user() + "@" + context.address() + " (a name with '/' is relative to the working directory)");
            case "isdir" -> throw new ProgramNotRunnableException(context.program(), "is a directory");
            case "notexec" -> throw new ProgramNotRunnableException(context.program(), "is not executable (chmod +x it)");
            default -> parse(word);
        };
    }

    /** The exit status, 128 + the signal number if a signal ended it (as a local shell reports), or -1. */
    static int exitCode(Session.Command remote) {
        Integer status = remote.getExitStatus();
        if (status != null) {
            return status;
        }
        Signal signal = remote.getExitSignal();
        int number = signal == null ? -1 : number(signal);
        return number < 0 ? -1 : 128 + number;
    }

    private static Long parse(String word) {
        try {
            return Long.parseLong(word);
        } catch (NumberFormatException e) {
            throw new DrydockException("the remote command wrapper reported '" + word + "', not a process id");
        }
    }

    // Linux numbering; SSH reports signals by name.
    private static int number(Signal signal) {
        return switch (signal) {
            case HUP -> 1;
            case INT -> 2;
            case QUIT -> 3;
            case ILL -> 4;
            case ABRT -> 6;
            case FPE -> 8;
            case KILL -> 9;
            case USR1 -> 10;
            case SEGV -> 11;
            case USR2 -> 12;
            case PIPE -> 13;
            case ALRM -> 14;
            case TERM -> 15;
            case UNKNOWN -> -1;
        };
    }
}
