package dev.drydock.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time, in seconds, of this JVM, the taskmaster JVM, the PostgreSQL server (postmaster and its
 * children, when it runs on this machine), the JIT compiler threads of both JVMs (counted in
 * {@code client} and {@code taskmaster} too), and the whole machine (/proc/stat), with the part of
 * its busy time that the hypervisor gave to other guests ({@code steal}): a run that lost cores to
 * a neighbour shows it there, not as a slower Drydock.
 */
record Cpu(double client, double taskmaster, double postgres, double jit, double machineBusy, double machine, double steal) {
    private static final double TICKS = 100; // USER_HZ

    Cpu minus(Cpu earlier) {
        return new Cpu(client - earlier.client, taskmaster - earlier.taskmaster, postgres - earlier.postgres, jit - earlier.jit,
                machineBusy - earlier.machineBusy, machine - earlier.machine, steal - earlier.steal);
    }

    String describe(long leases) {
        double server = Double.isNaN(postgres) ? 0 : postgres;
        double rest = machineBusy - client - taskmaster - server;
        return String.format(Locale.ROOT, "machine %.0f %% busy (%.1f of %.1f core-s): client JVM %.1f s, taskmaster JVM %.1f s "
                        + "(JIT compilers of both %.1f s), PostgreSQL %.1f s, other processes %.1f s (of which stolen by other guests %.1f s); "
                        + "per lease: client %.2f + taskmaster %.2f + PostgreSQL %.2f = %.2f ms",
                100 * machineBusy / machine, machineBusy, machine, client, taskmaster, jit, postgres, rest, steal,
                1e3 * client / leases, 1e3 * taskmaster / leases, 1e3 * postgres / leases,
                1e3 * (client + taskmaster + server) / leases);
    }

    /** Reads the figures; finds the postmaster as the parent of one of our backends. */
    static final class Probe {
        private final Process taskmaster;
        private final long postmaster;
        private final Map<Long, Long> compilerSeen = new HashMap<>();
        private long compilerTicks;

        Probe(HikariDataSource pool, Process taskmaster) {
            this.taskmaster = taskmaster;
            this.postmaster = postmasterOf(pool);
        }

        Cpu now() {
            double self = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
            double tm = taskmaster.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
            double[] machine = machine();
            return new Cpu(self, tm, postgres(), compilerThreads(), machine[0], machine[1], machine[2]);
        }

        private static long postmasterOf(HikariDataSource pool) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                // a backend pid means something here only if the server runs on this machine
                Path backend = Path.of("/proc/" + rs.getInt(1));
                long[] stat = Files.readString(backend.resolve("comm")).trim().equals("postgres") ? stat(backend.resolve("stat")) : null;
                return stat == null ? -1 : stat[0];
            } catch (SQLException | IOException | RuntimeException e) {
                return -1;
            }
        }

        /** Ticks of the postmaster and of every process whose parent it is. */
        private double postgres() {
            if (postmaster < 0) {
                return Double.NaN;
            }
            long ticks = 0;
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                    long[] stat = stat(p.resolve("stat"));
                    if (stat != null && (stat[0] == postmaster || Long.parseLong(p.getFileName().toString()) == postmaster)) {
                        ticks += stat[1];
                    }
                }
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
            return ticks / TICKS;
        }

        /**
         * Ticks the JIT compiler threads of both JVMs have used since this probe first looked. HotSpot
         * names them "C1 CompilerThreadN" and "C2 CompilerThreadN" and starts and stops them as the
         * compile queue grows and shrinks, so the count goes by thread: what each thread has used
         * since it was last seen, which misses only the last moments of a thread that ended.
         */
        private synchronized double compilerThreads() {
            for (long pid : new long[] {ProcessHandle.current().pid(), taskmaster.pid()}) {
                try (Stream<Path> threads = Files.list(Path.of("/proc/" + pid + "/task"))) {
                    for (Path t : threads.toList()) {
                        long[] stat = isCompiler(t) ? stat(t.resolve("stat")) : null;
                        if (stat != null) {
                            long tid = Long.parseLong(t.getFileName().toString());
                            compilerTicks += stat[1] - compilerSeen.getOrDefault(tid, 0L);
                            compilerSeen.put(tid, stat[1]);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the taskmaster has exited: its compilers count no more
                }
            }
            return compilerTicks / TICKS;
        }

        private static boolean isCompiler(Path thread) {
            try {
                return Files.readString(thread.resolve("comm")).matches("C[12] CompilerThre.*\\s*");
            } catch (IOException e) {
                return false; // ended while we looked
            }
        }

        /** {busy, all, steal} core-seconds of the machine since boot, from one read of /proc/stat; NaN if unreadable. */
        private static double[] machine() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long sum = 0;
                for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
                    sum += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                return new double[] {(sum - idle) / TICKS, sum / TICKS, steal / TICKS};
            } catch (IOException | RuntimeException e) {
                return new double[] {Double.NaN, Double.NaN, Double.NaN};
            }
        }

        /** {parent pid, utime + stime} of /proc/PID/stat or /proc/PID/task/TID/stat, or null if it is gone or unreadable. */
        private static long[] stat(Path file) {
            try {
                String s = Files.readString(file);
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                // after "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12])};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
