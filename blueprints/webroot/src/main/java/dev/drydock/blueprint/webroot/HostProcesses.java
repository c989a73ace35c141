package dev.drydock.blueprint.webroot;

import dev.drydock.api.CommandResult;
import dev.drydock.api.DrydockException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Processes on a Linux host, seen through {@code /proc} with constant scripts and argument
 * vectors. Every signal goes to a pid whose command line was read back just before and matched
 * the caller's test; the window between that read and the signal is the only place a reused pid
 * could slip in, and it is one command long.
 */
final class HostProcesses {
    /** How long a stopped server may take to exit after SIGTERM before it gets SIGKILL. */
    static final Duration EXIT_WAIT = Duration.ofSeconds(5);

    // Starts "$@" detached from the command's pipes (so the call returns at once) with the log as
    // its output, in / so it holds no directory busy; prints its pid. A simple command after "&"
    // makes $! the program's own pid, not a subshell's.
    private static final String START = "log=$1; shift; cd / || exit 1; \"$@\" </dev/null >>\"$log\" 2>&1 & echo $!";
    // Lists the pids whose command line contains $1 anywhere; errors from processes that vanished
    // during the scan are expected and dropped.
    private static final String SCAN = "grep -lF -e \"$1\" /proc/[0-9]*/cmdline 2>/dev/null; exit 0";
    // Lists the pids whose working directory is $1 or below it (a deleted one reads "DIR (deleted)").
    // "cd -P" reads the link in the shell itself; a readlink process per pid made a scan take seconds
    // on a busy host. It is the fallback where cd cannot: a deleted directory (PWD comes back empty)
    // or one the shell may not enter.
    private static final String SCAN_CWD = "for p in /proc/[0-9]*; do if cd -P \"$p/cwd\" 2>/dev/null && [ -n \"$PWD\" ]; then c=$PWD; "
            + "else c=$(readlink \"$p/cwd\" 2>/dev/null) || continue; fi; "
            + "case \"$c\" in \"$1\"|\"$1\"/*|\"$1 (deleted)\") echo \"${p#/proc/}\";; esac; done; exit 0";
    private static final String SIGNAL = "kill -s \"$1\" \"$2\"";
    private static final Pattern SCANNED = Pattern.compile("/proc/([0-9]+)/cmdline");

    private HostProcesses() {}

    /** Starts {@code argv} in the background with its output appended to {@code log}; returns its pid. */
    static long start(HostAccess host, String log, List<String> argv) {
        String[] args = new String[argv.size() + 1];
        args[0] = log;
        for (int i = 0; i < argv.size(); i++) {
            args[i + 1] = argv.get(i);
        }
        CommandResult started = host.shell(START, args);
        String pid = started.stdoutText().strip();
        if (!started.succeeded() || !pid.matches("[0-9]+")) {
            throw new DrydockException("could not start '" + argv.get(0) + "' in the background on the host: "
                    + started.stderrText().strip());
        }
        return Long.parseLong(pid);
    }

    /** The command line of {@code pid}, one element per argument; empty if there is no such process (or it is a zombie). */
    static Optional<List<String>> commandLine(HostAccess host, long pid) {
        CommandResult cat = host.run(List.of("cat", "/proc/" + pid + "/cmdline"));
        byte[] bytes = cat.stdout();
        if (!cat.succeeded() || bytes.length == 0) {
            return Optional.empty();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        // Arguments end in NUL; a process that rewrote its title (nginx) may leave several.
        List<String> args = new ArrayList<>(Arrays.asList(text.split("\0", -1)));
        while (!args.isEmpty() && args.get(args.size() - 1).isEmpty()) {
            args.remove(args.size() - 1);
        }
        return args.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(args));
    }

    /** Whether {@code pid} runs now with a command line that {@code owned} accepts. */
    static boolean running(HostAccess host, long pid, Predicate<List<String>> owned) {
        return commandLine(host, pid).filter(owned).isPresent();
    }

    /** The pids whose command line mentions {@code needle} and that {@code owned} accepts, checked one by one. */
    static List<Long> find(HostAccess host, String needle, Predicate<List<String>> owned) {
        List<Long> found = new ArrayList<>();
        Matcher m = SCANNED.matcher(host.shell(SCAN, needle).stdoutText());
        while (m.find()) {
            long pid = Long.parseLong(m.group(1));
            // The scan's own grep names the needle too; the check of the whole command line drops it.
            if (running(host, pid, owned)) {
                found.add(pid);
            }
        }
        return List.copyOf(found);
    }

    /**
     * The pids working in {@code directory} or below it that {@code owned} accepts: processes whose
     * command line names no path, such as nginx's workers, which a master that was killed outright
     * leaves behind.
     */
    static List<Long> findWorkingIn(HostAccess host, String directory, Predicate<List<String>> owned) {
        List<Long> found = new ArrayList<>();
        for (String line : host.shell(SCAN_CWD, directory).stdoutText().split("\n")) {
            if (line.strip().matches("[0-9]+") && running(host, Long.parseLong(line.strip()), owned)) {
                found.add(Long.parseLong(line.strip()));
            }
        }
        return List.copyOf(found);
    }

    /** Sends {@code signal} (such as {@code TERM}) to {@code pid} if it still runs as {@code owned}; returns whether it did. */
    static boolean signal(HostAccess host, long pid, String signal, Predicate<List<String>> owned) {
        if (!running(host, pid, owned)) {
            return false;
        }
        return host.shell(SIGNAL, signal, Long.toString(pid)).succeeded();
    }

    /**
     * Stops {@code pid} if it runs as {@code owned}: SIGTERM, then SIGKILL after {@link #EXIT_WAIT};
     * returns whether it was running.
     */
    static boolean stop(HostAccess host, long pid, Predicate<List<String>> owned) {
        if (!signal(host, pid, "TERM", owned)) {
            return false;
        }
        if (!Poll.until(EXIT_WAIT, () -> !running(host, pid, owned))) {
            signal(host, pid, "KILL", owned);
            if (!Poll.until(EXIT_WAIT, () -> !running(host, pid, owned))) {
                throw new DrydockException("process " + pid + " on the host did not exit after SIGKILL within " + EXIT_WAIT);
            }
        }
        return true;
    }

    /** The last lines of a log on the host, for an error message; empty if it cannot be read. */
    static String tail(HostAccess host, String log) {
        CommandResult tail = host.run(List.of("tail", "-n", "5", log));
        return tail.succeeded() ? tail.stdoutText().strip() : "";
    }
}
