package dev.drydock.benchmarks.chaos;

import dev.drydock.testing.JavaProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The run's taskmasters, each a JVM of its own: started, the busiest one killed with SIGKILL (the
 * one running most tasks, as the database says) and replaced as a supervisor would, and stopped
 * cleanly at the end. For each kill it measures how long the tasks the dead one held stayed
 * running under its name: the time until another taskmaster took them over.
 */
final class Taskmasters implements AutoCloseable {
    /** What one kill did: whom, when, how many tasks it held, and how long until all were taken over. */
    record Kill(String name, Instant at, int tasksHeld, Duration takenOverAfter) {}

    private static final int THREADS = 8;
    private static final Duration TAKE_OVER_LIMIT = Duration.ofSeconds(120);

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Path logs;
    private final Map<String, Process> running = new LinkedHashMap<>();
    private final List<Kill> kills = new ArrayList<>();
    private int started;

    Taskmasters(String jdbcUrl, String user, String password, Path logs) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.logs = logs;
    }

    /** Starts one more and waits until it works. */
    void startOne() {
        String name;
        synchronized (this) { // not held while the JVM starts: a kill meanwhile must still find its victim
            name = "chaos-tm-" + (++started);
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", JavaProcess.classpath(), ChaosTaskmasterMain.class.getName(), jdbcUrl, user, name,
                String.valueOf(THREADS));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(logs.resolve(name + ".log").toFile());
        builder.environment().put(ChaosTaskmasterMain.PASSWORD_VARIABLE, password);
        try {
            Process p = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (!"READY".equals(line)) {
                p.destroyForcibly();
                throw new IllegalStateException("taskmaster " + name + " did not start (it said " + line + "); see "
                        + logs.resolve(name + ".log"));
            }
            synchronized (this) {
                running.put(name, p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start taskmaster " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Kills the taskmaster that runs most tasks with SIGKILL, starts a replacement, and measures how
     * long until none of the dead one's tasks is still running under its name.
     */
    Kill killBusiest(DataSource db) throws SQLException, InterruptedException {
        String victim;
        int held;
        Process process;
        // tasks last milliseconds: look again for up to 5 s for a moment when one holds some
        Map.Entry<String, Integer> busiest = busiest(db);
        for (int look = 0; look < 50 && busiest.getValue() == 0; look++) {
            Thread.sleep(100);
            busiest = busiest(db);
        }
        synchronized (this) {
            victim = busiest.getKey();
            held = busiest.getValue();
            process = running.remove(victim);
        }
        Instant at = Instant.now();
        process.destroyForcibly(); // SIGKILL
        process.waitFor(10, TimeUnit.SECONDS);
        Thread replacement = Thread.ofPlatform().name("chaos-replacement").start(this::startOne);
        Duration takenOver = awaitTakeOver(db, victim, at);
        replacement.join();
        Kill kill = new Kill(victim, at, held, takenOver);
        synchronized (this) {
            kills.add(kill);
        }
        return kill;
    }

    /** The running taskmaster with the most running tasks, and how many. */
    private Map.Entry<String, Integer> busiest(DataSource db) throws SQLException {
        Map<String, Integer> load = new LinkedHashMap<>();
        synchronized (this) {
            running.keySet().forEach(n -> load.put(n, 0));
        }
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT owner, count(*) FROM tq_task WHERE state = 'running' GROUP BY owner")) {
            while (rs.next()) {
                String owner = rs.getString(1);
                int tasks = rs.getInt(2);
                load.keySet().stream().filter(n -> owner.startsWith(n + "-")).findFirst().ifPresent(n -> load.put(n, tasks));
            }
        }
        Map.Entry<String, Integer> most = load.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        return Map.entry(most.getKey(), most.getValue());
    }

    private static Duration awaitTakeOver(DataSource db, String victim, Instant killedAt) throws InterruptedException {
        while (Duration.between(killedAt, Instant.now()).compareTo(TAKE_OVER_LIMIT) < 0) {
            try (Connection c = db.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM tq_task WHERE state = 'running' AND owner LIKE '" + victim + "-%'")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return Duration.between(killedAt, Instant.now());
                }
            } catch (SQLException e) {
                // the database restarts: ask again
            }
            Thread.sleep(50);
        }
        return TAKE_OVER_LIMIT;
    }

    synchronized List<Kill> kills() {
        return List.copyOf(kills);
    }

    /** Stops every taskmaster cleanly (stdin closed), killing one that does not stop in 30 s. */
    @Override
    public synchronized void close() {
        for (Process p : running.values()) {
            try {
                p.getOutputStream().close();
            } catch (IOException e) {
                p.destroyForcibly();
            }
        }
        for (Process p : running.values()) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        running.clear();
    }
}
