package dev.drydock.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PostgreSQL's own ceiling: Debian's pgbench, built-in simple-update, on the benchmark's server. */
final class PgbenchRunner {
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private PgbenchRunner() {}

    static String executable() {
        for (String candidate : List.of("/usr/lib/postgresql/15/bin/pgbench", "/usr/lib/postgresql/16/bin/pgbench",
                "/usr/lib/postgresql/17/bin/pgbench", "/usr/bin/pgbench")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("pgbench not found: install Debian's postgresql-contrib (or postgresql-client-15)");
    }

    /**
     * Creates pgbench's tables in the database (replacing any {@code pgbench_*} tables there), runs
     * {@code -b simple-update -c 8 -j 2 -T seconds}, and drops them again.
     */
    static double simpleUpdateTps(BenchDatabase db, int seconds) throws IOException, InterruptedException {
        String pgbench = executable();
        String out;
        try {
            run(db, List.of(pgbench, "-i", "-q", "-s", "8"));
            out = run(db, List.of(pgbench, "-n", "-b", "simple-update", "-c", "8", "-j", "2", "-T", Integer.toString(seconds)));
        } finally {
            run(db, List.of(pgbench, "-i", "-I", "d")); // only the "drop tables" step of initialisation
        }
        Matcher m = TPS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("could not read tps from pgbench output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String run(BenchDatabase db, List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("-h", db.host, "-p", Integer.toString(db.port), "-U", db.user, db.database));
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        if (!db.password.isEmpty()) {
            env.put("PGPASSWORD", db.password); // by environment, never on the command line
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed (" + String.join(" ", command) + "):\n" + out);
        }
        return out;
    }
}
