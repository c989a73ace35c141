package dev.drydock.benchmarks;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import dev.drydock.api.Lease;
import java.util.List;
import java.util.Locale;

/**
 * The cost of the pieces a web root's step is made of, measured through a held webroot lease's own
 * command interface (the local host's, as the blueprint uses it): the shortest host command
 * ({@code true}), the {@code cat /proc/net/tcp /proc/net/tcp6} the blueprint reads to see whether a
 * port listens (its cost grows with the sockets on the host, TIME_WAIT ones too), and
 * {@code nginx -t} of the web root's configuration, which the blueprint runs before every start or
 * reload. Each is run {@value #RUNS} times; the figures are p50 and p90 in milliseconds.
 */
record ServerLayer(double trueP50, double trueP90, double portCheckP50, double portCheckP90, double nginxTestP50, double nginxTestP90) {
    private static final int RUNS = 20;

    static ServerLayer measure(Lease lease) {
        CommandInterface host = lease.commandInterface();
        String config = lease.info().leaseAttributes().get("config"); // <prefix>/sites/lease-N.conf
        String prefix = config.substring(0, config.indexOf("/sites/"));
        long[] trivial = time(host, List.of("true"));
        long[] portCheck = time(host, List.of("cat", "/proc/net/tcp", "/proc/net/tcp6"));
        long[] nginxTest = time(host, List.of("nginx", "-p", prefix + "/", "-c", prefix + "/nginx.conf", "-t", "-q"));
        return new ServerLayer(Percentiles.ms(trivial, RUNS, 50), Percentiles.ms(trivial, RUNS, 90),
                Percentiles.ms(portCheck, RUNS, 50), Percentiles.ms(portCheck, RUNS, 90),
                Percentiles.ms(nginxTest, RUNS, 50), Percentiles.ms(nginxTest, RUNS, 90));
    }

    private static long[] time(CommandInterface host, List<String> argv) {
        long[] micros = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            CommandResult result = host.run(Command.of(argv.toArray(String[]::new)));
            micros[i] = (System.nanoTime() - start) / 1000;
            if (!result.succeeded()) {
                throw new IllegalStateException(String.join(" ", argv) + " failed on the host: " + result.stderrText().strip());
            }
        }
        return micros;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "server layer, through the lease's command interface (p50 / p90 ms of %d): true %.1f / %.1f;"
                        + " port check (cat /proc/net/tcp*) %.1f / %.1f; nginx -t %.1f / %.1f", RUNS, trueP50, trueP90, portCheckP50, portCheckP90,
                nginxTestP50, nginxTestP90);
    }
}
