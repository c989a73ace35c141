package dev.drydock.interfaces.ssh;

import dev.drydock.api.Command;
import dev.drydock.api.InvalidRequestException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The command line sent to the remote login shell for one {@link Command}. Every caller string is
 * POSIX single-quoted, so none is ever interpreted by a shell. The script:
 *
 * <pre>
 * drydock_lease=$(cd -- '/lease' 2&gt;/dev/null &amp;&amp; pwd -P) || { echo MARKER nolease; exit 125; }
 * cd -- '/lease/work/dir' 2&gt;/dev/null || { echo MARKER nodir; exit 125; }
 * case "$(pwd -P)/" in "${drydock_lease%/}"/*) ;; *) echo MARKER outside; exit 125;; esac
 * unset drydock_lease
 * NAME='value'; export NAME
 * case 'program' in *&#47;*) if [ -d 'program' ]; then echo MARKER isdir; exit 126;
 *   elif [ -e 'program' ] &amp;&amp; [ ! -x 'program' ]; then echo MARKER notexec; exit 126; fi;; esac
 * command -v -- 'program' &gt;/dev/null 2&gt;&amp;1 || { echo MARKER notfound; exit 127; }
 * echo MARKER $$
 * exec 'program' 'arg 1' 'it'"'"'s'
 * </pre>
 *
 * <p>sshd runs it with the user's login shell as {@code SHELL -c SCRIPT} (which must be a POSIX
 * shell) in a new session: OpenSSH calls {@code setsid()} for every session's child. So the shell,
 * and after {@code exec} the program, leads its own process group, {@code $$} is that group's id, and
 * everything the program starts stays in the group unless it leaves on purpose. The marker line on
 * stdout, before any output of the program, reports the group id or why nothing was started; on a
 * timeout the whole group is killed with {@code kill -s KILL -- -PGID} over a second session.
 * MARKER is random per run, so program output cannot forge it, and the line is removed from stdout.
 */
final class RemoteScript {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String marker = "drydock-" + UUID.randomUUID();
    private final String text;

    RemoteScript(String leaseDirectory, String workingDirectory, Command command) {
        List<String> argv = command.argv();
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i).indexOf('\0') >= 0) {
                throw new InvalidRequestException("argv", "argument " + i + " contains a NUL character");
            }
        }
        if (argv.get(0).startsWith("-")) {
            // Shells disagree on "exec --", so a program name may not look like an option.
            throw new InvalidRequestException("argv", "program name '" + argv.get(0) + "' must not start with '-'");
        }
        StringBuilder script = new StringBuilder()
                .append("drydock_lease=$(cd -- ").append(quote(leaseDirectory)).append(" 2>/dev/null && pwd -P) || ")
                .append(report("nolease", 125)).append('\n')
                .append("cd -- ").append(quote(workingDirectory)).append(" 2>/dev/null || ")
                .append(report("nodir", 125)).append('\n')
                .append("case \"$(pwd -P)/\" in \"${drydock_lease%/}\"/*) ;; *) ").append(report("outside", 125))
                .append(";; esac\n")
                .append("unset drydock_lease\n");
        for (Map.Entry<String, String> variable : new TreeMap<>(command.environment()).entrySet()) {
            script.append(export(variable.getKey(), variable.getValue()));
        }
        String program = quote(argv.get(0));
        script.append("case ").append(program).append(" in */*) if [ -d ").append(program).append(" ]; then ")
                .append(report("isdir", 126)).append("; elif [ -e ").append(program).append(" ] && [ ! -x ").append(program)
                .append(" ]; then ").append(report("notexec", 126)).append("; fi;; esac\n");
        script.append("command -v -- ").append(quote(argv.get(0))).append(" >/dev/null 2>&1 || ")
                .append(report("notfound", 127)).append('\n')
                .append("echo ").append(marker).append(" $$\n")
                .append("exec");
        for (String argument : argv) {
            script.append(' ').append(quote(argument));
        }
        this.text = script.append('\n').toString();
    }

    /** POSIX single quoting: {@code a'b} becomes {@code 'a'"'"'b'}. */
    static String quote(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    String text() {
        return text;
    }

    /** The first word of the status line on stdout. */
    String marker() {
        return marker;
    }

    private String report(String status, int exitCode) {
        return "{ echo " + marker + " " + status + "; exit " + exitCode + "; }";
    }

    private static String export(String name, String value) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidRequestException("environment", "'" + name + "' is not a valid variable name:"
                    + " letters, digits and '_', not starting with a digit");
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidRequestException("environment", "the value of " + name + " contains a NUL character");
        }
        return name + "=" + quote(value) + "; export " + name + "\n";
    }
}
