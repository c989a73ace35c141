package dev.drydock.benchmarks;

import dev.drydock.api.Command;
import dev.drydock.api.CommandResult;
import dev.drydock.testing.SshHost;
import dev.drydock.interfaces.ssh.SftpFilesystemInterface;
import dev.drydock.interfaces.ssh.SshCommandInterface;
import dev.drydock.interfaces.ssh.SshConnection;
import dev.drydock.interfaces.ssh.SshCredentials;
import dev.drydock.interfaces.ssh.SshTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code drydock-bench ssh}: this project's SSH interfaces against the OpenSSH client, on one local
 * {@code sshd} in one run. Exec: the round trip of {@code true} over one reused connection against a
 * fresh {@code ssh} process per command (real host-key checking, no ControlMaster). Files: a 64 MiB
 * file of random bytes streamed over SFTP against {@code scp} of the same file (and, for reference,
 * {@code scp} limited to our in-flight volume), taking turns, median of 5.
 */
final class SshBenchmark {
    private static final int FILE_MIB = 64;
    private static final int FILE_RUNS = 5;
    private static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final BenchOptions options;

    SshBenchmark(BenchOptions options) {
        this.options = options;
    }

    void run() throws Exception {
        int seconds = options.seconds();
        Path work = Files.createTempDirectory("drydock-bench-ssh-");
        try (SshHost sshd = SshHost.start()) {
            Path knownHosts = Files.writeString(Files.createTempFile("drydock-bench-known-hosts", ""), sshd.hostKeyLine() + "\n");
            knownHosts.toFile().deleteOnExit();
            Path lease = Files.createDirectories(work.resolve("lease"));
            Path payload = work.resolve("payload.bin");
            writeRandom(payload, FILE_MIB * 1024L * 1024L);
            List<String> sshOptions = List.of("-F", "/dev/null", "-i", sshd.userPrivateKeyPath().toString(),
                    "-o", "UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=yes",
                    "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes");
            String login = sshd.user() + "@" + "127.0.0.1";

            System.out.println("server: OpenSSH sshd on " + "127.0.0.1" + ":" + sshd.port() + " (" + version() + "), user " + sshd.user()
                    + ", login shell " + loginShell());
            System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version());
            System.out.printf("phases: exec %d s each, the two interleaved, after 1 s warm-up each; files %d MiB random bytes, SFTP, scp and tuned scp taking turns, 1 warm-up then median of %d%n%n", seconds, FILE_MIB, FILE_RUNS);

            SshTarget target = new SshTarget("127.0.0.1", sshd.port(), sshd.user(), sshd.hostKeyLine());
            SshCredentials credentials = new SshCredentials(sshd.userPrivateKeyPem(), Optional.empty());
            try (SshConnection connection = SshConnection.open(target, credentials, TIMEOUT)) {
                SshCommandInterface commands = new SshCommandInterface(() -> connection, lease.toString());
                List<String> sshTrue = new ArrayList<>(List.of("ssh", "-p", Integer.toString(sshd.port())));
                sshTrue.addAll(sshOptions);
                sshTrue.addAll(List.of(login, "true"));
                Percentiles[] exec = interleavedExec(commands, sshTrue, seconds);
                Percentiles ours = exec[0];
                Percentiles theirs = exec[1];
                System.out.printf(Locale.ROOT, "drydock exec `true` (one reused connection): p50 %.2f ms, p99 %.2f ms (%d samples)%n",
                        ours.p50Ms(), ours.p99Ms(), ours.count());
                System.out.printf(Locale.ROOT, "openssh exec `true` (fresh ssh process each): p50 %.2f ms, p99 %.2f ms (%d samples)%n",
                        theirs.p50Ms(), theirs.p99Ms(), theirs.count());

                Percentiles rc = shellStartup();
                System.out.printf(Locale.ROOT, "for reference, this machine's login shell with its rc files (`%s -c true`, SSH_CLIENT set); the benchmark's sshd sets SHLVL=1 so sessions skip them: p50 %.2f ms (%d samples)%n",
                        loginShell(), rc.p50Ms(), rc.count());

                SftpFilesystemInterface files = new SftpFilesystemInterface(() -> connection, lease.toString());
                files.write("warmup.bin", new byte[64 * 1024]); // opens the SFTP subsystem
                List<String> scpArgv = scpArgv(sshd.port(), List.of(), sshOptions, payload, login + ":" + lease.resolve("scp.bin"));
                // OpenSSH's own upload with the in-flight volume of ours: 8 requests of 32 KiB.
                List<String> tunedArgv = scpArgv(sshd.port(), List.of("-X", "nrequests=8", "-X", "buffer=32768"), sshOptions,
                        payload, login + ":" + lease.resolve("scp-tuned.bin"));
                List<Upload> uploads = List.of(
                        () -> sftpUpload(files, payload, lease.resolve("sftp.bin")),
                        () -> scpUpload(scpArgv, payload, lease.resolve("scp.bin")),
                        () -> scpUpload(tunedArgv, payload, lease.resolve("scp-tuned.bin")));
                double[][] speeds = new double[uploads.size()][FILE_RUNS];
                long sftpCpuNanos = 0;
                // Run -1 is an uncounted warm-up (JIT, page cache). They take turns, a different one going
                // first each round, so all see the same load on a shared machine.
                for (int i = -1; i < FILE_RUNS; i++) {
                    for (int k = 0; k < uploads.size(); k++) {
                        int side = Math.floorMod(i + k, uploads.size());
                        long cpu = processCpuNanos();
                        double speed = uploads.get(side).run();
                        if (i >= 0) {
                            speeds[side][i] = speed;
                            sftpCpuNanos += side == 0 ? processCpuNanos() - cpu : 0;
                        }
                    }
                }
                double[] sftp = speeds[0];
                double[] scp = speeds[1];
                System.out.printf(Locale.ROOT, "drydock SFTP write %d MiB: %s MiB/s; this JVM's CPU %.1f ms per MiB%n",
                        FILE_MIB, runs(sftp), sftpCpuNanos / 1e6 / (FILE_MIB * (double) FILE_RUNS));
                System.out.printf(Locale.ROOT, "openssh scp %d MiB (fresh process each, includes its connect): %s MiB/s%n", FILE_MIB, runs(scp));
                System.out.printf(Locale.ROOT, "openssh scp -X nrequests=8 -X buffer=32768 (reference: our in-flight volume): %s MiB/s%n", runs(speeds[2]));
                System.out.printf(Locale.ROOT, "ratio SFTP/scp per round (back to back): %s; SFTP/tuned scp: %s%n%n",
                        ratios(sftp, scp), ratios(sftp, speeds[2]));

                report(ours, theirs, rc, median(sftp), median(scp));
            }
        } finally {
            dev.drydock.interfaces.local.TreeDeletion.delete(work);
        }
    }

    private static double sftpUpload(SftpFilesystemInterface files, Path payload, Path written) throws IOException {
        long start = System.nanoTime();
        try (InputStream in = Files.newInputStream(payload)) {
            files.write(written.getFileName().toString(), in);
        }
        double speed = mibPerSecond(System.nanoTime() - start);
        requireSize(written, Files.size(payload));
        Files.delete(written);
        return speed;
    }

    private static double scpUpload(List<String> argv, Path payload, Path written) throws Exception {
        long start = System.nanoTime();
        runProcess(argv, Map.of());
        double speed = mibPerSecond(System.nanoTime() - start);
        requireSize(written, Files.size(payload));
        Files.delete(written);
        return speed;
    }

    @FunctionalInterface
    private interface Upload {
        /** Uploads the payload once; returns MiB/s. */
        double run() throws Exception;
    }

    private static List<String> scpArgv(int port, List<String> options, List<String> sshOptions, Path payload, String destination) {
        List<String> argv = new ArrayList<>(List.of("scp", "-q", "-P", Integer.toString(port)));
        argv.addAll(options);
        argv.addAll(sshOptions);
        argv.addAll(List.of(payload.toString(), destination));
        return argv;
    }

    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static String ratios(double[] ours, double[] theirs) {
        double[] ratios = new double[ours.length];
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < ours.length; i++) {
            ratios[i] = ours[i] / theirs[i];
            text.append(text.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", ratios[i]));
        }
        return String.format(Locale.ROOT, "median %.2f (%s)", median(ratios), text);
    }

    /**
     * Both exec round trips in one window of {@code 2 * seconds}, interleaved so both see the same
     * machine load: one fresh {@code ssh} run, then drydock runs for as long as that took, and again.
     * Each side gets about {@code seconds} of wall time; 1 s of warm-up each first.
     */
    private static Percentiles[] interleavedExec(SshCommandInterface commands, List<String> sshTrue, int seconds) throws Exception {
        Command command = Command.of("true");
        long warmupEnd = System.nanoTime() + WARMUP_NANOS;
        while (System.nanoTime() < warmupEnd) {
            check(commands.run(command));
        }
        warmupEnd = System.nanoTime() + WARMUP_NANOS;
        while (System.nanoTime() < warmupEnd) {
            runProcess(sshTrue, Map.of());
        }
        Samples ours = new Samples();
        Samples theirs = new Samples();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2L * seconds);
        while (System.nanoTime() < end || theirs.count < 5) {
            long start = System.nanoTime();
            runProcess(sshTrue, Map.of());
            long took = System.nanoTime() - start;
            theirs.add(took / 1_000);
            long until = System.nanoTime() + took;
            do {
                long t = System.nanoTime();
                CommandResult result = commands.run(command);
                ours.add((System.nanoTime() - t) / 1_000);
                check(result);
            } while (System.nanoTime() < until);
        }
        return new Percentiles[] {ours.percentiles(), theirs.percentiles()};
    }

    private static final class Samples {
        long[] micros = new long[256];
        int count;

        void add(long sample) {
            if (count == micros.length) {
                micros = Arrays.copyOf(micros, count * 2);
            }
            micros[count++] = sample;
        }

        Percentiles percentiles() {
            return Percentiles.of(micros, count);
        }
    }

    private static void check(CommandResult result) {
        if (result.exitCode() != 0 || result.timedOut()) {
            throw new IllegalStateException("`true` over SSH failed: " + result + " stderr: "
                    + new String(result.stderr(), StandardCharsets.UTF_8));
        }
    }

    /** Round trips of a fresh process, warm-up first; at least 5 samples even when each is slow. */
    private static Percentiles processLatency(List<String> argv, int seconds, Map<String, String> env) throws Exception {
        long warmupEnd = System.nanoTime() + WARMUP_NANOS;
        while (System.nanoTime() < warmupEnd) {
            runProcess(argv, env);
        }
        long[] samples = new long[256];
        int count = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end || count < 5) {
            long start = System.nanoTime();
            runProcess(argv, env);
            long micros = (System.nanoTime() - start) / 1_000;
            if (count == samples.length) {
                samples = Arrays.copyOf(samples, count * 2);
            }
            samples[count++] = micros;
        }
        return Percentiles.of(samples, count);
    }

    /** The user's login shell run as sshd runs it for a command: {@code SHELL -c true}, with SSH_CLIENT set. */
    private static Percentiles shellStartup() throws Exception {
        // sshd's environment for a session, not this JVM's (whose PATH may make the rc files cheaper or dearer).
        Map<String, String> env = Map.of("SSH_CLIENT", "127.0.0.1" + " 50000 22", "HOME", System.getProperty("user.home"),
                "USER", System.getProperty("user.name"), "LOGNAME", System.getProperty("user.name"), "SHELL", loginShell(),
                "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        return processLatency(List.of(loginShell(), "-c", "true"), 2, env);
    }

    private static void runProcess(List<String> argv, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (!env.isEmpty()) {
            builder.environment().clear(); // a given environment is the whole environment
            builder.environment().putAll(env);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + argv);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(argv + " exited with " + process.exitValue() + ": " + output);
        }
    }

    private static String loginShell() {
        String user = System.getProperty("user.name");
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 7 && fields[0].equals(user) && !fields[6].isBlank()) {
                    return fields[6];
                }
            }
        } catch (IOException e) {
            // fall through to the default
        }
        return "/bin/sh";
    }

    private static String version() {
        try {
            Process process = new ProcessBuilder("ssh", "-V").redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor();
            return text;
        } catch (Exception e) {
            return "unknown version";
        }
    }

    private static void writeRandom(Path file, long bytes) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += chunk.length) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long value = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        chunk[i + b] = (byte) (value >>> (8 * b));
                    }
                }
                out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
            }
        }
    }

    private static void requireSize(Path file, long expected) throws IOException {
        long actual = Files.size(file);
        if (actual != expected) {
            throw new IllegalStateException(file + " has " + actual + " bytes after the copy, expected " + expected);
        }
    }

    private static double mibPerSecond(long nanos) {
        return FILE_MIB / (nanos / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String runs(double[] values) {
        StringBuilder text = new StringBuilder();
        for (double value : values) {
            text.append(text.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", value));
        }
        return String.format(Locale.ROOT, "median %.1f (runs %s; best %.1f)", median(values), text,
                Arrays.stream(values).max().orElse(Double.NaN));
    }

    private static void report(Percentiles ours, Percentiles theirs, Percentiles rc, double sftp, double scp) {
        double execRatio = ours.p50Ms() / theirs.p50Ms();
        double fileRatio = sftp / scp;
        System.out.println("| measure | drydock | openssh | ratio | target | met? |");
        System.out.println("|---|---:|---:|---:|---|---|");
        System.out.printf(Locale.ROOT, "| exec `true` p50 (ms) | %.2f | %.2f | %.3fx | <= 0.5x openssh | %s |%n",
                ours.p50Ms(), theirs.p50Ms(), execRatio, execRatio <= 0.5 ? "yes" : "no");
        System.out.printf(Locale.ROOT, "| exec `true` p99 (ms) | %.2f | %.2f | %.3fx | (reported) | |%n",
                ours.p99Ms(), theirs.p99Ms(), ours.p99Ms() / theirs.p99Ms());
        System.out.printf(Locale.ROOT, "| %d MiB upload (MiB/s, median of %d) | %.1f | %.1f | %.2fx | >= 0.8x scp | %s |%n",
                FILE_MIB, FILE_RUNS, sftp, scp, fileRatio, fileRatio >= 0.8 ? "yes" : "no");
        System.out.println();
        if (rc.p50Ms() >= 0.3 * ours.p50Ms()) {
            System.out.printf(Locale.ROOT,
                    "note: a login shell that reads rc files (%.2f ms p50 on this machine) would add that to every command on both sides;%n"
                            + "      the benchmark's sshd sets SHLVL=1, so bash skips ~/.bashrc and the figures above leave it out.%n%n",
                    rc.p50Ms());
        }
        System.out.printf(Locale.ROOT,
                "{\"exec_p50_ms\": %.3f, \"openssh_exec_p50_ms\": %.3f, \"sftp_mib_per_s\": %.1f, \"scp_mib_per_s\": %.1f}%n",
                ours.p50Ms(), theirs.p50Ms(), sftp, scp);
    }
}
