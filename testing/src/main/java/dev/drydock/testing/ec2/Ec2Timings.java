package dev.drydock.testing.ec2;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the fake's instances take over each step of their life. The defaults are short so tests
 * stay fast; EC2's own are tens of seconds to boot and up to an hour listed after termination.
 *
 * @param bootDelay           from launch (pending) to the sshd being started and the state running
 * @param consoleDelay        from running to GetConsoleOutput having output, as EC2's console lags
 * @param shutdownDelay       from shutting-down (or stopping) to terminated (or stopped)
 * @param terminatedListedFor how long a terminated instance stays in DescribeInstances
 */
public record Ec2Timings(Duration bootDelay, Duration consoleDelay, Duration shutdownDelay, Duration terminatedListedFor) {
    public static final Ec2Timings DEFAULTS = new Ec2Timings(
            Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(2));

    public Ec2Timings {
        nonNegative("bootDelay", bootDelay);
        nonNegative("consoleDelay", consoleDelay);
        nonNegative("shutdownDelay", shutdownDelay);
        nonNegative("terminatedListedFor", terminatedListedFor);
    }

    private static void nonNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }
}
