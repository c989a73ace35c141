package dev.drydock.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A process to run: an argument vector, never a shell string unless built with {@link #shell}.
 * Immutable; build with {@link #of(String...)} or {@link #builder(List)}.
 *
 * @param argv             program and arguments, passed to the program as they are
 * @param workingDirectory relative to the lease's directory; empty for the lease's directory itself
 * @param environment      variables added to (or replacing) the inherited environment
 * @param stdin            bytes written to the process's standard input, then closed
 * @param timeout          after this the process and everything it started are killed
 */
public record Command(List<String> argv, Optional<String> workingDirectory, Map<String, String> environment,
                      byte[] stdin, Duration timeout) {
    /** Default timeout: 10 minutes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty() || argv.get(0).isEmpty()) {
            throw new InvalidRequestException("argv", "a command needs a program name as its first element");
        }
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        environment = Map.copyOf(environment);
        stdin = stdin.clone();
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidRequestException("timeout", "must be positive, was " + timeout);
        }
    }

    public static Command of(String... argv) {
        return builder(List.of(argv)).build();
    }

    /** Runs {@code script} with {@code /bin/sh -c}: only when the caller explicitly wants a shell. */
    public static Builder shell(String script) {
        return builder(List.of("/bin/sh", "-c", script));
    }

    public static Builder builder(List<String> argv) {
        return new Builder(argv);
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Command c && argv.equals(c.argv) && workingDirectory.equals(c.workingDirectory)
                && environment.equals(c.environment) && java.util.Arrays.equals(stdin, c.stdin) && timeout.equals(c.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(argv, workingDirectory, environment, java.util.Arrays.hashCode(stdin), timeout);
    }

    /** Shows argv and settings but never environment values, which may hold secrets. */
    @Override
    public String toString() {
        return "Command" + argv + workingDirectory.map(d -> " in " + d).orElse("")
                + (environment.isEmpty() ? "" : " env" + new TreeMap<>(environment).keySet()) + " timeout " + timeout;
    }

    /** Optional settings of a {@link Command}. */
    public static final class Builder {
        private final List<String> argv;
        private String workingDirectory;
        private final Map<String, String> environment = new TreeMap<>();
        private byte[] stdin = new byte[0];
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(List<String> argv) {
            this.argv = List.copyOf(argv);
        }

        public Builder workingDirectory(String relativePath) {
            this.workingDirectory = Objects.requireNonNull(relativePath, "workingDirectory");
            return this;
        }

        public Builder env(String name, String value) {
            environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder stdin(byte[] input) {
            this.stdin = Objects.requireNonNull(input, "stdin").clone();
            return this;
        }

        public Builder stdin(String input) {
            return stdin(input.getBytes(StandardCharsets.UTF_8));
        }

        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Command build() {
            return new Command(argv, Optional.ofNullable(workingDirectory), environment, stdin, timeout);
        }
    }
}
