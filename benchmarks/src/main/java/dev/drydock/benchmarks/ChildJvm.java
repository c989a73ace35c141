package dev.drydock.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark's helper process: the {@code main} of a class of this jar, given the run's database
 * URL and user (the password in its environment); its stdout is read line by line, its stderr goes
 * to ours.
 */
final class ChildJvm {
    private final Process process;
    private final BufferedReader out;

    private ChildJvm(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ChildJvm start(BenchDatabase db, Class<?> main, String... args) throws IOException {
        Path jar;
        try {
            jar = Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the benchmark jar: " + e.getMessage(), e);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", jar.toString(), main.getName(), db.jdbcUrl, db.user));
        command.addAll(List.of(args));
        return new ChildJvm(db.childProcess(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** Reads the child's output up to a line starting with {@code prefix}, and returns that line. */
    String awaitLine(String prefix) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IllegalStateException("the benchmark's child process ended before printing " + prefix);
    }

    /** Closes the child's stdin, which tells it to finish. */
    void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    void waitFor() throws InterruptedException {
        process.waitFor();
    }
}
