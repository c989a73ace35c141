package dev.drydock.cli;

import java.util.List;

/**
 * The JVM options the launchers in bin/ start our mains with, so that a test running one in a JVM of
 * its own runs it as a user's command line does: drydock-control, a command that lives for seconds,
 * with C1 only, the serial collector and no perf-data file (bin/drydock-control); the daemon with the
 * JVM's defaults (bin/drydock-taskmaster).
 */
final class Launcher {
    private static final List<String> CONTROL = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData");

    private Launcher() {}

    static List<String> jvmOptions(Class<?> main) {
        return main == DrydockControl.class ? CONTROL : List.of();
    }
}
