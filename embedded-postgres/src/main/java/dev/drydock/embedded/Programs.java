package dev.drydock.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs PostgreSQL's programs. They refuse to run as root, so as root they run in a new user namespace
 * ({@code unshare -U}) where they see themselves as an unprivileged user; outside it they remain uid 0,
 * which is why the server only accepts password logins and Drydock's role is no superuser.
 */
final class Programs {
    private Programs() {}

    /**
     * Runs {@code command}, its output appended to {@code log}; feeds {@code input} on stdin.
     *
     * @return the exit code
     */
    static int run(List<String> command, String input, Path log, long timeoutSeconds) {
        List<String> full = new ArrayList<>();
        if (CurrentUser.isRoot()) {
            full.addAll(List.of("unshare", "-U"));
        }
        full.addAll(command);
        PrivateFiles.privateFile(log);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            try (var stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new EmbeddedPostgresException(Path.of(command.get(0)).getFileName() + " did not finish in " + timeoutSeconds
                        + " s; see " + log);
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot run " + full.get(0) + ": " + e.getMessage()
                    + (CurrentUser.isRoot() ? " (as root, PostgreSQL runs through unshare from util-linux: install it)" : ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedPostgresException("interrupted while running " + full.get(0), e);
        }
    }

    /** The log's text from byte {@code offset} on (what one run wrote), for an error message. */
    static String tail(Path log, long offset) {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(all.length, Math.max(offset, all.length - 2_000L));
            return new String(all, from, all.length - from, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }

    static long size(Path log) {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
