package dev.drydock.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How a command ended.
 *
 * @param exitCode the process's exit code; when {@code timedOut}, whatever the killed process reported
 * @param stdout   everything written to standard output (empty when streamed elsewhere)
 * @param stderr   everything written to standard error (empty when streamed elsewhere)
 * @param elapsed  wall time from start to exit
 * @param timedOut the command ran past its timeout and was killed with everything it started
 */
public record CommandResult(int exitCode, byte[] stdout, byte[] stderr, Duration elapsed, boolean timedOut) {
    public CommandResult {
        stdout = stdout.clone();
        stderr = stderr.clone();
    }

    @Override
    public byte[] stdout() {
        return stdout.clone();
    }

    @Override
    public byte[] stderr() {
        return stderr.clone();
    }

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommandResult r && exitCode == r.exitCode && timedOut == r.timedOut && elapsed.equals(r.elapsed)
                && java.util.Arrays.equals(stdout, r.stdout) && java.util.Arrays.equals(stderr, r.stderr);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(exitCode, timedOut, elapsed, java.util.Arrays.hashCode(stdout), java.util.Arrays.hashCode(stderr));
    }

    @Override
    public String toString() {
        return "CommandResult[exit=" + exitCode + (timedOut ? ", timed out" : "") + ", stdout=" + stdout.length
                + " bytes, stderr=" + stderr.length + " bytes, elapsed=" + elapsed + "]";
    }
}
