package dev.drydock.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code bin/drydock-bench cli}: the wall time of short {@code drydock-control} commands, each run
 * {@value #RUNS} times through the real script ({@code bin/drydock-control}, so the JDK lookup, the
 * jar check and the JVM options the user gets are measured too) against a running database, the
 * commands taking turns so that a change of the machine's load hits them all alike. The database is
 * {@code --db}'s, else the local server of a DRYDOCK_HOME made for the run (started by the set-up,
 * stopped after). The first command of a new DRYDOCK_HOME also dumps the class-data archive; it is
 * reported apart, as "first use".
 */
final class CliBenchmark {
    static final int RUNS = 20;
    private static final Pattern LEASE_ID = Pattern.compile("lease (\\d+) ");

    private final BenchOptions options;
    private final Path root;

    CliBenchmark(BenchOptions options) {
        this.options = options;
        this.root = Path.of(System.getProperty("drydock.root", "."));
    }

    void run() throws Exception {
        Path home = Files.createTempDirectory("drydock-cli-bench-");
        Path hosts = Files.createTempDirectory("drydock-cli-bench-hosts-");
        try {
            String blueprint = "cli-bench-" + ProcessHandle.current().pid();
            long first = timed(home, List.of("status"));
            check(home, List.of("blueprint", "create", "--type", "local-host", "--name", blueprint, "--set", "root=" + hosts,
                    "--set", "capacity=1", "--limit", "1"));
            Matcher id = LEASE_ID.matcher(check(home, List.of("lease", "--type", "host", "--blueprint", blueprint, "--no-wait")));
            if (!id.find()) {
                throw new IllegalStateException("lease --no-wait printed no lease id");
            }
            Map<String, List<String>> commands = new LinkedHashMap<>();
            commands.put("status", List.of("status"));
            commands.put("lease list", List.of("lease", "list"));
            commands.put("lease show ID", List.of("lease", "show", id.group(1)));
            commands.put("version", List.of("version"));
            commands.put("--help", List.of("--help"));
            System.out.println("drydock-control through " + root.resolve("bin/drydock-control") + ", " + RUNS + " runs per command, taking turns");
            System.out.println("  database: " + options.dbUrl().map(u -> u.replaceAll("password=[^&]*", "password=***"))
                    .orElse("the local server under a DRYDOCK_HOME made for the run"));
            System.out.println("  JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                    + " CPUs; class-data sharing: " + cdsState(home));
            System.out.println("  load average before: " + loadAverage());
            System.out.printf("  first use (status, dumping the class-data archive): %d ms%n", first);
            // one run each before measuring; a command this checkout lacks (version, before it existed) is left out
            for (var it = commands.entrySet().iterator(); it.hasNext(); ) {
                var c = it.next();
                if (run(home, c.getValue()) != 0) {
                    System.out.println("  " + c.getKey() + ": fails in this checkout, not measured");
                    it.remove();
                }
            }
            Map<String, long[]> samples = new LinkedHashMap<>();
            commands.keySet().forEach(name -> samples.put(name, new long[RUNS]));
            for (int run = 0; run < RUNS; run++) {
                for (Map.Entry<String, List<String>> c : commands.entrySet()) {
                    samples.get(c.getKey())[run] = timed(home, c.getValue()) * 1000;
                }
            }
            for (Map.Entry<String, long[]> s : samples.entrySet()) {
                long[] sorted = s.getValue().clone();
                Arrays.sort(sorted);
                System.out.printf("  %-14s p50 %5.0f ms   p95 %5.0f ms   min %5.0f ms%n", s.getKey(), Percentiles.ms(sorted, RUNS, 50),
                        Percentiles.ms(sorted, RUNS, 95), sorted[0] / 1000.0);
            }
            System.out.println("  load average after: " + loadAverage());
            StringBuilder json = new StringBuilder("{\"benchmark\":\"cli\",\"runs\":" + RUNS + ",\"firstUseMs\":" + first + ",\"commands\":{");
            samples.forEach((name, micros) -> json.append(json.charAt(json.length() - 1) == '{' ? "" : ",")
                    .append(String.format(java.util.Locale.ROOT, "\"%s\":{\"p50Ms\":%.0f,\"p95Ms\":%.0f}", name,
                            Percentiles.ms(micros, RUNS, 50), Percentiles.ms(micros, RUNS, 95))));
            System.out.println(json.append("}}"));
            check(home, List.of("release", id.group(1)));
        } finally {
            if (options.dbUrl().isEmpty()) {
                run(home, List.of("db", "stop"));
            }
            ScratchRoot.delete(home);
            ScratchRoot.delete(hosts);
        }
    }

    /** Wall time of one run in ms, from starting the script to its exit; fails if the command does. */
    private long timed(Path home, List<String> args) throws IOException, InterruptedException {
        long start = System.nanoTime();
        int exit = run(home, args);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (exit != 0) {
            throw new IllegalStateException("drydock-control " + String.join(" ", args) + " exited " + exit);
        }
        return ms;
    }

    private int run(Path home, List<String> args) throws IOException, InterruptedException {
        ProcessBuilder pb = command(home, args).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb.start().waitFor();
    }

    /** Runs a set-up command; its output, or a failure with it. */
    private String check(Path home, List<String> args) throws IOException, InterruptedException {
        Process p = command(home, args).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("drydock-control " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }

    private ProcessBuilder command(Path home, List<String> args) {
        List<String> line = new ArrayList<>(List.of(root.resolve("bin/drydock-control").toString()));
        line.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(line);
        pb.environment().put("DRYDOCK_HOME", home.toString());
        pb.environment().remove("DRYDOCK_DB_URL");
        options.dbUrl().ifPresent(url -> pb.environment().put("DRYDOCK_DB_URL", url));
        return pb;
    }

    private static String cdsState(Path home) throws IOException {
        if ("off".equals(System.getenv("DRYDOCK_CDS"))) {
            return "off (DRYDOCK_CDS=off)";
        }
        Path dir = home.resolve("cds");
        if (!Files.isDirectory(dir)) {
            return "no archive (the script made none)";
        }
        try (Stream<Path> archives = Files.list(dir)) {
            return archives.map(a -> a.getFileName() + " (" + size(a) / (1 << 20) + " MB)").findFirst().orElse("no archive");
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
